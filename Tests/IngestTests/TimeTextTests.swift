import Testing

@testable import Ingest

@Suite struct TimeTextTests {
  @Test func epochSecondsWithFractions() {
    #expect(TimeText.micros(epochSeconds: "1700000000") == 1_700_000_000_000_000)
    #expect(TimeText.micros(epochSeconds: "1700000000.123456") == 1_700_000_000_123_456)
    #expect(TimeText.micros(epochSeconds: "1.5") == 1_500_000)
    #expect(TimeText.micros(epochSeconds: "-1.5") == -1_500_000)
    #expect(TimeText.micros(epochSeconds: "12a") == nil)
    #expect(TimeText.micros(epochSeconds: "") == nil)
  }

  @Test func iso8601WithZonesAndFractions() {
    let base: Int64 = 1_700_000_000_000_000  // 2023-11-14T22:13:20Z
    #expect(TimeText.micros(iso8601: "2023-11-14T22:13:20Z") == base)
    #expect(TimeText.micros(iso8601: "2023-11-14 22:13:20") == base)
    #expect(TimeText.micros(iso8601: "2023-11-14T22:13:20.25Z") == base + 250_000)
    #expect(TimeText.micros(iso8601: "2023-11-15T00:13:20+02:00") == base)
    #expect(TimeText.micros(iso8601: "2023-11-14T21:13:20-0100") == base)
    #expect(TimeText.micros(iso8601: "2023-11-14") == base - (22 * 3600 + 13 * 60 + 20) * 1_000_000)
    #expect(TimeText.micros(iso8601: "2023-02-30T00:00:00Z") == nil)
    #expect(TimeText.micros(iso8601: "2023-11-14T22:13:20Q") == nil)
    #expect(TimeText.micros(iso8601: "not a time") == nil)
  }
}
