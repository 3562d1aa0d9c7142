import ArgumentParser

/// Runs `body`; an error from the library is printed as one line and the command exits with 1.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let error as any ParsableArgumentsError {
    throw error
  } catch let error as ExitCode {
    throw error
  } catch {
    printError("\(error)")
    throw ExitCode(1)
  }
}

/// Argument parser's own errors (validation, usage) pass through so it can print the usage.
protocol ParsableArgumentsError: Error {}
extension ValidationError: ParsableArgumentsError {}
