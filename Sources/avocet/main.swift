import AvocetCLI

await AvocetCommand.main()
