#!/usr/bin/env node
// Writes the solc input that gives ERC-7201 namespaced structs a storage layout, made from a forge
// build-info file by OpenZeppelin upgrades-core's `makeNamespacedInput` (a state variable injected
// for each `@custom:storage-location erc7201:` struct, function bodies dropped, output selection
// storageLayout + ast). Used by tokenized_stocks/devtools/storage_layout.py:
//   node tools/namespaced-input.cjs <build-info.json> <out.json>
"use strict";
const fs = require("fs");
const path = require("path");

const [buildInfoPath, outPath] = process.argv.slice(2);
if (!buildInfoPath || !outPath) {
  process.stderr.write("usage: namespaced-input.cjs <build-info.json> <out.json>\n");
  process.exit(2);
}
const core = require(path.join(__dirname, "..", "node_modules", "@openzeppelin", "upgrades-core"));
const buildInfo = JSON.parse(fs.readFileSync(buildInfoPath, "utf8"));
const input = core.makeNamespacedInput(buildInfo.input, buildInfo.output, buildInfo.solcVersion);
// forge's build-info input also records its paths (allowPaths, basePath...), which solc refuses.
const { language, sources, settings } = input;
fs.writeFileSync(outPath, JSON.stringify({ language, sources, settings }));
