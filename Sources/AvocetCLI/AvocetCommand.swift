public import ArgumentParser

/// The root of the `avocet` command line.
public struct AvocetCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "avocet",
    abstract: "Security logs in open Delta Lake tables, queried with SQL.",
    subcommands: [
      DemoCommand.self, CatCommand.self, DescribeCommand.self, HistoryCommand.self, FilesCommand.self,
      SQLCommand.self, ParquetCommand.self, CreateCommand.self, WriteCommand.self, GenerateCommand.self,
      OptimizeCommand.self, VacuumCommand.self, RestoreCommand.self, IngestCommand.self, BenchCommand.self,
      ServeCommand.self,
    ])

  public init() {}
}
