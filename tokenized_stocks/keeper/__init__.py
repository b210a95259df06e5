"""The sanctions keeper: follows the sanctions oracle and syncs the certificates' cached flags."""
