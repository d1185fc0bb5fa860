"""The `parley` command and the bundled example scenario."""
