import AvocetCLI

AvocetCommand.main()
