// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Gateway} from "../../../contracts/gateway/Gateway.sol";
import {InvestorRegistry} from "../../../contracts/identity/InvestorRegistry.sol";
import {SanctionsList} from "../../../contracts/compliance/SanctionsList.sol";
import {SuiteProxy} from "../../../contracts/proxy/SuiteProxy.sol";
import {CertificateVault} from "../../../contracts/assets/CertificateVault.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {DvP} from "../../../contracts/settlement/DvP.sol";
import {HybridDvP} from "../../../contracts/settlement/HybridDvP.sol";
import {TraditionalLedgerAdapter} from "../../../contracts/settlement/TraditionalLedgerAdapter.sol";
import {DividendDistributor} from "../../../contracts/corporate/DividendDistributor.sol";
import {BallotBox} from "../../../contracts/corporate/BallotBox.sol";
import {IRegistryShare} from "../../../contracts/interfaces/IRegistryShare.sol";
import {OrderDesk} from "../../../contracts/assets/OrderDesk.sol";
import {OrderToken} from "../../../contracts/assets/OrderToken.sol";
import {OrderVault} from "../../../contracts/assets/OrderVault.sol";
import {IAssetIdentity} from "../../../contracts/interfaces/IAssetIdentity.sol";
import {IInvestorRegistry} from "../../../contracts/interfaces/IInvestorRegistry.sol";
import {ISanctionsList} from "../../../contracts/interfaces/ISanctionsList.sol";
import {IOrderToken} from "../../../contracts/interfaces/IOrderToken.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {TrackerCertificate} from "../../../contracts/assets/TrackerCertificate.sol";
import {ITrackerCertificateTypes} from "../../../contracts/interfaces/ITrackerCertificate.sol";
import {RegistryShare} from "../../../contracts/assets/RegistryShare.sol";

/// @notice The one way forge tests deploy an upgradeable contract: a fresh implementation behind a
/// SuiteProxy (ERC-1967) initialised in the proxy's deployment, as `tokenized_stocks/deploy/proxy.py`
/// does on a chain.
library Proxies {
    /// @notice A Gateway behind its proxy (the returned address is the proxy's).
    function deployGateway(address admin, address[] memory operators, uint256 threshold) internal returns (Gateway) {
        Gateway implementation = new Gateway();
        return Gateway(
            address(
                new SuiteProxy(
                    address(implementation), abi.encodeCall(Gateway.initialize, (admin, operators, threshold))
                )
            )
        );
    }

    /// @notice A SanctionsList behind its proxy (the returned address is the proxy's).
    function deploySanctionsList(address admin) internal returns (SanctionsList) {
        SanctionsList implementation = new SanctionsList();
        return SanctionsList(
            address(new SuiteProxy(address(implementation), abi.encodeCall(SanctionsList.initialize, (admin))))
        );
    }

    /// @notice An InvestorRegistry behind its proxy (the returned address is the proxy's).
    function deployInvestorRegistry(address admin) internal returns (InvestorRegistry) {
        InvestorRegistry implementation = new InvestorRegistry();
        return InvestorRegistry(
            address(new SuiteProxy(address(implementation), abi.encodeCall(InvestorRegistry.initialize, (admin))))
        );
    }

    /// @notice A CertificateVault wrapping `certificate` behind its proxy (the returned address is the
    /// proxy's).
    function deployCertificateVault(IERC20 certificate, string memory name, string memory symbol, address admin)
        internal
        returns (CertificateVault)
    {
        CertificateVault implementation = new CertificateVault();
        return CertificateVault(
            address(
                new SuiteProxy(
                    address(implementation),
                    abi.encodeCall(CertificateVault.initialize, (certificate, name, symbol, admin))
                )
            )
        );
    }

    /// @notice A DvP behind its proxy (the returned address is the proxy's).
    function deployDvP(address admin) internal returns (DvP) {
        DvP implementation = new DvP();
        return DvP(address(new SuiteProxy(address(implementation), abi.encodeCall(DvP.initialize, (admin)))));
    }

    /// @notice A HybridDvP behind its proxy (the returned address is the proxy's).
    function deployHybridDvP(address admin) internal returns (HybridDvP) {
        HybridDvP implementation = new HybridDvP();
        return
            HybridDvP(address(new SuiteProxy(address(implementation), abi.encodeCall(HybridDvP.initialize, (admin)))));
    }

    /// @notice A TraditionalLedgerAdapter behind its proxy (the returned address is the proxy's).
    function deployTraditionalLedgerAdapter(address admin) internal returns (TraditionalLedgerAdapter) {
        TraditionalLedgerAdapter implementation = new TraditionalLedgerAdapter();
        return TraditionalLedgerAdapter(
            address(
                new SuiteProxy(address(implementation), abi.encodeCall(TraditionalLedgerAdapter.initialize, (admin)))
            )
        );
    }

    /// @notice A DividendDistributor behind its proxy (the returned address is the proxy's).
    function deployDividendDistributor(address admin, IRegistryShare share) internal returns (DividendDistributor) {
        DividendDistributor implementation = new DividendDistributor();
        return DividendDistributor(
            address(
                new SuiteProxy(address(implementation), abi.encodeCall(DividendDistributor.initialize, (admin, share)))
            )
        );
    }

    /// @notice A BallotBox behind its proxy (the returned address is the proxy's).
    function deployBallotBox(address admin, IRegistryShare share) internal returns (BallotBox) {
        BallotBox implementation = new BallotBox();
        return BallotBox(
            address(new SuiteProxy(address(implementation), abi.encodeCall(BallotBox.initialize, (admin, share))))
        );
    }

    /// @notice An OrderDesk behind its proxy (the returned address is the proxy's).
    function deployOrderDesk(address admin, IInvestorRegistry registry) internal returns (OrderDesk) {
        OrderDesk implementation = new OrderDesk();
        return OrderDesk(
            address(new SuiteProxy(address(implementation), abi.encodeCall(OrderDesk.initialize, (admin, registry))))
        );
    }

    /// @notice An OrderToken behind its proxy (the returned address is the proxy's).
    function deployOrderToken(
        address admin,
        string memory name,
        string memory symbol,
        IAssetIdentity.IdentityParams memory identity,
        address desk,
        IInvestorRegistry registry,
        ISanctionsList sanctions
    ) internal returns (OrderToken) {
        OrderToken implementation = new OrderToken();
        return OrderToken(
            address(
                new SuiteProxy(
                    address(implementation),
                    abi.encodeCall(OrderToken.initialize, (admin, name, symbol, identity, desk, registry, sanctions))
                )
            )
        );
    }

    /// @notice An OrderVault behind its proxy (the returned address is the proxy's).
    function deployOrderVault(address admin, IERC20Metadata asset, IOrderToken share) internal returns (OrderVault) {
        OrderVault implementation = new OrderVault();
        return OrderVault(
            address(
                new SuiteProxy(address(implementation), abi.encodeCall(OrderVault.initialize, (admin, asset, share)))
            )
        );
    }

    /// @notice A TrackerCertificate behind its proxy (the returned address is the proxy's).
    function deployTrackerCertificate(
        IAssetIdentity.IdentityParams memory identity,
        ITrackerCertificateTypes.CertificateConfig memory config
    ) internal returns (TrackerCertificate) {
        TrackerCertificate implementation = new TrackerCertificate();
        return TrackerCertificate(
            address(
                new SuiteProxy(
                    address(implementation), abi.encodeCall(TrackerCertificate.initialize, (identity, config))
                )
            )
        );
    }

    /// @notice A RegistryShare behind its SuiteProxy (its implementation creates its ShareExtension).
    function deployRegistryShare(
        address admin,
        IInvestorRegistry registry,
        string memory name,
        string memory symbol,
        IAssetIdentity.IdentityParams memory identity
    ) internal returns (RegistryShare) {
        RegistryShare implementation = new RegistryShare();
        return RegistryShare(
            address(
                new SuiteProxy(
                    address(implementation),
                    abi.encodeCall(RegistryShare.initialize, (admin, registry, name, symbol, identity))
                )
            )
        );
    }
}
