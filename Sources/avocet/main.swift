import AvocetCLI

AllocatorTuning.apply()
AvocetCommand.main()
