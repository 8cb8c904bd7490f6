"""What the command lines of the client and the hub share: argparse in the officer's language (usage),
exit codes (exits), text/JSON output (output) and quiet handling of a closed pipe (pipes). Not domain code:
nothing else in :mod:`dttscore` imports it."""
