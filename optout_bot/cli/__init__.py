"""The command line: click commands that parse, call the app layer and map errors to exit codes."""
