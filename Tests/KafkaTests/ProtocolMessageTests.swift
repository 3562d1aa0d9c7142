import Testing

@testable import Kafka

/// Byte-exact request encodings and response decodings, written out field by field from the
/// Kafka protocol guide and the message definitions (`clients/src/main/resources/common/message`).
@Suite struct RequestEncodingTests {
  func frame<R: KafkaRequest>(_ request: R, version: Int16) -> [UInt8] {
    request.encodeFrame(version: version, correlationID: 7, clientID: "avocet")
  }

  @Test func apiVersionsV0UsesHeaderV1AndAnEmptyBody() {
    #expect(frame(ApiVersionsRequest(), version: 0) == [UInt8](hex: "00000010 0012 0000 00000007 0006 61766f636574"))
  }

  @Test func apiVersionsV3IsFlexible() {
    #expect(
      frame(ApiVersionsRequest(), version: 3)
        == [UInt8](
          hex: """
            0000001d 0012 0003 00000007 0006 61766f636574 00
            07 61766f636574  04 312e30  00
            """))
  }

  @Test func metadataV4() {
    #expect(
      frame(MetadataRequest(topics: ["t"]), version: 4)
        == [UInt8](hex: "00000018 0003 0004 00000007 0006 61766f636574  00000001 0001 74  00"))
  }

  @Test func metadataV12HasTopicIDsAndTaggedFields() {
    #expect(
      frame(MetadataRequest(topics: ["t"]), version: 12)
        == [UInt8](
          hex: """
            00000028 0003 000c 00000007 0006 61766f636574 00
            02 00000000000000000000000000000000 02 74 00  00 00 00
            """))
  }

  @Test func metadataForAllTopicsIsANullArray() {
    #expect(
      frame(MetadataRequest(topics: nil), version: 4)
        == [UInt8](hex: "00000015 0003 0004 00000007 0006 61766f636574  ffffffff 00"))
  }

  @Test func fetchV4() {
    let request = FetchRequest(
      maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1,
      topics: [("t", [.init(partition: 2, offset: 5, maxBytes: 65536)])])
    #expect(
      frame(request, version: 4)
        == [UInt8](
          hex: """
            0000003c 0001 0004 00000007 0006 61766f636574
            ffffffff 000001f4 00000001 00100000 01
            00000001 0001 74 00000001 00000002 0000000000000005 00010000
            """))
  }

  @Test func fetchV12() {
    let request = FetchRequest(
      maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0,
      topics: [("t", [.init(partition: 2, offset: 5, maxBytes: 65536)])])
    #expect(
      frame(request, version: 12)
        == [UInt8](
          hex: """
            00000053 0001 000c 00000007 0006 61766f636574 00
            ffffffff 000001f4 00000001 00100000 00 00000000 ffffffff
            02 02 74 02 00000002 ffffffff 0000000000000005 ffffffff ffffffffffffffff 00010000 00 00
            01 01 00
            """))
  }

  @Test func listOffsetsV1AndV7() {
    let request = ListOffsetsRequest(isolationLevel: 1, topics: [("t", [.init(partition: 0, timestamp: -2)])])
    #expect(
      frame(request, version: 1)
        == [UInt8](
          hex:
            "0000002b 0002 0001 00000007 0006 61766f636574  ffffffff 00000001 0001 74 00000001 00000000 fffffffffffffffe"
        ))
    #expect(
      frame(request, version: 7)
        == [UInt8](
          hex: """
            0000002d 0002 0007 00000007 0006 61766f636574 00
            ffffffff 01 02 02 74 02 00000000 ffffffff fffffffffffffffe 00 00 00
            """))
  }

  @Test func joinGroupV1CarriesTheConsumerSubscription() {
    let subscription = ConsumerProtocol.encodeSubscription(topics: ["t"])
    #expect(subscription == [UInt8](hex: "0000 00000001 0001 74 ffffffff"))
    let request = JoinGroupRequest(
      groupID: "g", sessionTimeoutMs: 6000, rebalanceTimeoutMs: 10000, memberID: "", protocolType: "consumer",
      protocols: [("range", subscription)])
    #expect(
      frame(request, version: 1)
        == [UInt8](
          hex: """
            00000043 000b 0001 00000007 0006 61766f636574
            0001 67 00001770 00002710 0000 0008 636f6e73756d6572
            00000001 0005 72616e6765 0000000d 0000000000010001 74ffffffff
            """))
  }

  @Test func syncGroupV5AndHeartbeatV4AndLeaveGroupV4() {
    let sync = SyncGroupRequest(
      groupID: "g", generationID: 3, memberID: "m", protocolType: "consumer", protocolName: "range",
      assignments: [("m", [0xaa])])
    #expect(
      frame(sync, version: 5)
        == [UInt8](
          hex: """
            00000030 000e 0005 00000007 0006 61766f636574 00
            02 67 00000003 02 6d 00 09 636f6e73756d6572 06 72616e6765 02 02 6d 02 aa 00 00
            """))
    #expect(
      frame(HeartbeatRequest(groupID: "g", generationID: 3, memberID: "m"), version: 4)
        == [UInt8](hex: "0000001b 000c 0004 00000007 0006 61766f636574 00  02 67 00000003 02 6d 00 00"))
    #expect(
      frame(LeaveGroupRequest(groupID: "g", memberID: "m"), version: 4)
        == [UInt8](hex: "00000019 000d 0004 00000007 0006 61766f636574 00  02 67 02 02 6d 00 00 00"))
    #expect(
      frame(LeaveGroupRequest(groupID: "g", memberID: "m"), version: 0)
        == [UInt8](hex: "00000016 000d 0000 00000007 0006 61766f636574  0001 67 0001 6d"))
  }

  @Test func offsetCommitV2AndV8() {
    let request = OffsetCommitRequest(groupID: "g", generationID: 3, memberID: "m", topics: [("t", [(0, 42)])])
    #expect(
      frame(request, version: 2)
        == [UInt8](
          hex: """
            0000003b 0008 0002 00000007 0006 61766f636574
            0001 67 00000003 0001 6d ffffffffffffffff 00000001 0001 74 00000001 00000000 000000000000002a ffff
            """))
    #expect(
      frame(request, version: 8)
        == [UInt8](
          hex: """
            00000032 0008 0008 00000007 0006 61766f636574 00
            02 67 00000003 02 6d 00 02 02 74 02 00000000 000000000000002a ffffffff 00 00 00 00
            """))
  }

  @Test func offsetFetchV1AndFindCoordinatorV0AndV3() {
    #expect(
      frame(OffsetFetchRequest(groupID: "g", topics: [("t", [0, 1])]), version: 1)
        == [UInt8](
          hex: "00000026 0009 0001 00000007 0006 61766f636574  0001 67 00000001 0001 74 00000002 00000000 00000001"))
    #expect(
      frame(FindCoordinatorRequest(groupID: "g"), version: 0)
        == [UInt8](hex: "00000013 000a 0000 00000007 0006 61766f636574  0001 67"))
    #expect(
      frame(FindCoordinatorRequest(groupID: "g"), version: 3)
        == [UInt8](hex: "00000015 000a 0003 00000007 0006 61766f636574 00  02 67 00 00"))
  }
}

@Suite struct ResponseDecodingTests {
  func decode<R: KafkaRequest>(_ type: R.Type, version: Int16, _ hex: String) throws -> R.Response {
    try R.decodeResponseFrame([UInt8](hex: hex), version: version, correlationID: 7)
  }

  @Test func apiVersionsV0() throws {
    let response = try decode(
      ApiVersionsRequest.self, version: 0, "00000007 0000 00000002 0001 0000 000d 0012 0000 0003")
    #expect(response == .init(errorCode: 0, versions: [1: 0...13, 18: 0...3]))
  }

  @Test func apiVersionsV3WithTaggedFields() throws {
    // Response header v0 (ApiVersions never uses v1), compact array, per-entry tags,
    // throttle time, then a top-level tagged field (tag 0, 2 bytes) that is skipped.
    let response = try decode(
      ApiVersionsRequest.self, version: 3, "00000007 0000 03 0001 0000 000d 00 0012 0000 0003 00 00000000 01 00 02 aabb"
    )
    #expect(response == .init(errorCode: 0, versions: [1: 0...13, 18: 0...3]))
  }

  @Test func apiVersionsUnsupportedVersionAnswersInV0Form() throws {
    let response = try decode(ApiVersionsRequest.self, version: 3, "00000007 0023 00000001 0012 0000 0002")
    #expect(response == .init(errorCode: 35, versions: [18: 0...2]))
  }

  @Test func wrongCorrelationIDIsRejected() {
    #expect(throws: KafkaError.self) {
      _ = try ApiVersionsRequest.decodeResponseFrame(
        [UInt8](hex: "00000008 0000 00000000"), version: 0, correlationID: 7)
    }
  }

  @Test func metadataV12() throws {
    let response = try decode(
      MetadataRequest.self, version: 12,
      """
      00000007 00  00000000
      02 00000001 0a 3132372e302e302e31 00002384 00 00
      00 00000001
      02 0000 02 74 0102030405060708090a0b0c0d0e0f10 00
        02 0000 00000000 00000001 00000005 02 00000001 02 00000001 01 00
        80000000 00
      00
      """)
    #expect(
      response
        == .init(
          brokers: [.init(nodeID: 1, host: "127.0.0.1", port: 9092)], controllerID: 1,
          topics: [
            .init(errorCode: 0, name: "t", partitions: [.init(errorCode: 0, index: 0, leader: 1, leaderEpoch: 5)])
          ]))
  }

  @Test func metadataV4UnknownTopic() throws {
    let response = try decode(
      MetadataRequest.self, version: 4,
      "00000007 00000000  00000000  ffff 00000001  00000001 0003 0001 78 00 00000000")
    #expect(response.topics == [.init(errorCode: 3, name: "x", partitions: [])])
  }

  @Test func listOffsetsV1() throws {
    let response = try decode(
      ListOffsetsRequest.self, version: 1,
      "00000007  00000001 0001 74 00000001 00000000 0000 ffffffffffffffff 000000000000000b")
    #expect(response.topics == ["t": [.init(partition: 0, errorCode: 0, timestamp: -1, offset: 11)]])
  }

  @Test func fetchV4KeepsTheRecordSetInPlace() throws {
    let batch = TestRecordBatch.batch(baseOffset: 5, records: [TestRecord(key: nil, value: [1, 2, 3])])
    let hex =
      "00000007 00000000 00000001 0001 74 00000001 00000002 0000 000000000000000a 000000000000000a"
      + " 00000001 0000000000000009 0000000000000004 \(hex8(batch.count)) \(batch.hex)"
    let response = try decode(FetchRequest.self, version: 4, hex)
    #expect(response.topics.count == 1)
    let partition = try #require(response.topics.first?.partitions.first)
    #expect(partition.partition == 2)
    #expect(partition.highWatermark == 10)
    #expect(partition.abortedTransactions == [.init(producerID: 9, firstOffset: 4)])
    #expect(Array(response.bytes[partition.records]) == batch)
  }

  @Test func joinGroupV7SyncGroupV0OffsetFetchV1() throws {
    let joined = try decode(
      JoinGroupRequest.self, version: 7,
      "00000007 00  00000000 0000 00000004 09 636f6e73756d6572 06 72616e6765 02 6d 02 6d 02 02 6d 00 03 aabb 00 00")
    #expect(
      joined
        == .init(
          errorCode: 0, generationID: 4, protocolName: "range", leader: "m", memberID: "m",
          members: [.init(memberID: "m", metadata: [0xaa, 0xbb])]))
    let synced = try decode(SyncGroupRequest.self, version: 0, "00000007 0000 00000002 abcd")
    #expect(synced == .init(errorCode: 0, assignment: [0xab, 0xcd]))
    let fetched = try decode(
      OffsetFetchRequest.self, version: 1,
      "00000007 00000001 0001 74 00000002 00000000 000000000000002a ffff 0000 00000001 ffffffffffffffff 0000 0000")
    #expect(
      fetched.topics == [
        "t": [
          .init(partition: 0, offset: 42, metadata: nil, errorCode: 0),
          .init(partition: 1, offset: -1, metadata: "", errorCode: 0),
        ]
      ])
  }

  @Test func offsetCommitV8() throws {
    let response = try decode(
      OffsetCommitRequest.self, version: 8, "00000007 00 00000000 02 02 74 02 00000000 001b 00 00 00")
    #expect(response.errors == [TopicPartition("t", 0): 27])
  }
}

@Suite struct VersionNegotiationTests {
  @Test func picksTheHighestCommonVersion() throws {
    let versions = NegotiatedVersions(broker: [1: 0...13, 3: 0...5, 18: 0...2])
    #expect(try versions.version(of: .fetch, brokerName: "b:1") == 12)
    #expect(try versions.version(of: .metadata, brokerName: "b:1") == 5)
    #expect(try versions.version(of: .apiVersions, brokerName: "b:1") == 2)
    let capped = NegotiatedVersions(broker: [1: 0...13], caps: [1: 4])
    #expect(try capped.version(of: .fetch, brokerName: "b:1") == 4)
  }

  @Test func noOverlapNamesBothRanges() {
    let versions = NegotiatedVersions(broker: [1: 0...3])
    #expect {
      _ = try versions.version(of: .fetch, brokerName: "127.0.0.1:9092")
    } throws: { error in
      "\(error)" == "broker 127.0.0.1:9092 supports Fetch versions 0–3; Avocet needs 4–12"
        && (error as? KafkaError)?.code == .unsupportedVersion
    }
    #expect {
      _ = try versions.version(of: .joinGroup, brokerName: "127.0.0.1:9092")
    } throws: { error in
      "\(error)" == "broker 127.0.0.1:9092 does not support JoinGroup; Avocet needs versions 1–7"
    }
  }
}

/// An int32 as 8 hex digits.
func hex8(_ value: Int) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
