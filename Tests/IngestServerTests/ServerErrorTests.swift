import Testing

@testable import IngestServer

@Suite struct ServerErrorTests {
  @Test func describesItselfByItsMessage() {
    #expect("\(ServerError("--listen 'x' is not HOST:PORT"))" == "--listen 'x' is not HOST:PORT")
  }
}
