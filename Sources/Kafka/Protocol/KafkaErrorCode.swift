/// The numeric error codes a Kafka broker returns, with the names the protocol guide uses.
enum KafkaErrorCode {
  static let none: Int16 = 0
  static let offsetOutOfRange: Int16 = 1
  static let corruptMessage: Int16 = 2
  static let unknownTopicOrPartition: Int16 = 3
  static let leaderNotAvailable: Int16 = 5
  static let notLeaderOrFollower: Int16 = 6
  static let requestTimedOut: Int16 = 7
  static let coordinatorLoadInProgress: Int16 = 14
  static let coordinatorNotAvailable: Int16 = 15
  static let notCoordinator: Int16 = 16
  static let illegalGeneration: Int16 = 22
  static let inconsistentGroupProtocol: Int16 = 23
  static let unknownMemberID: Int16 = 25
  static let invalidSessionTimeout: Int16 = 26
  static let rebalanceInProgress: Int16 = 27
  static let topicAuthorizationFailed: Int16 = 29
  static let groupAuthorizationFailed: Int16 = 30
  static let unsupportedVersion: Int16 = 35
  static let unstableOffsetCommit: Int16 = 88
  static let fencedLeaderEpoch: Int16 = 74
  static let unknownLeaderEpoch: Int16 = 75
  static let memberIDRequired: Int16 = 79
  static let fencedInstanceID: Int16 = 82

  static func name(_ code: Int16) -> String {
    switch code {
    case 0: "NONE"
    case -1: "UNKNOWN_SERVER_ERROR"
    case 1: "OFFSET_OUT_OF_RANGE"
    case 2: "CORRUPT_MESSAGE"
    case 3: "UNKNOWN_TOPIC_OR_PARTITION"
    case 4: "INVALID_FETCH_SIZE"
    case 5: "LEADER_NOT_AVAILABLE"
    case 6: "NOT_LEADER_OR_FOLLOWER"
    case 7: "REQUEST_TIMED_OUT"
    case 10: "MESSAGE_TOO_LARGE"
    case 14: "COORDINATOR_LOAD_IN_PROGRESS"
    case 15: "COORDINATOR_NOT_AVAILABLE"
    case 16: "NOT_COORDINATOR"
    case 17: "INVALID_TOPIC_EXCEPTION"
    case 22: "ILLEGAL_GENERATION"
    case 23: "INCONSISTENT_GROUP_PROTOCOL"
    case 24: "INVALID_GROUP_ID"
    case 25: "UNKNOWN_MEMBER_ID"
    case 26: "INVALID_SESSION_TIMEOUT"
    case 27: "REBALANCE_IN_PROGRESS"
    case 28: "INVALID_COMMIT_OFFSET_SIZE"
    case 29: "TOPIC_AUTHORIZATION_FAILED"
    case 30: "GROUP_AUTHORIZATION_FAILED"
    case 31: "CLUSTER_AUTHORIZATION_FAILED"
    case 35: "UNSUPPORTED_VERSION"
    case 42: "INVALID_REQUEST"
    case 58: "SASL_AUTHENTICATION_FAILED"
    case 69: "GROUP_ID_NOT_FOUND"
    case 74: "FENCED_LEADER_EPOCH"
    case 75: "UNKNOWN_LEADER_EPOCH"
    case 79: "MEMBER_ID_REQUIRED"
    case 82: "FENCED_INSTANCE_ID"
    case 88: "UNSTABLE_OFFSET_COMMIT"
    default: "error \(code)"
    }
  }

  /// The error a broker code means, phrased for a person: "NOT_COORDINATOR (16)".
  static func describe(_ code: Int16) -> String { "\(name(code)) (\(code))" }
}

extension KafkaError {
  /// An error for a broker error code, with what the client was doing.
  static func broker(_ code: Int16, _ doing: String) -> KafkaError {
    let kind: KafkaError.Code =
      switch code {
      case KafkaErrorCode.unknownTopicOrPartition: .unknownTopic
      case KafkaErrorCode.rebalanceInProgress, KafkaErrorCode.illegalGeneration, KafkaErrorCode.unknownMemberID:
        .rebalance
      default: .broker
      }
    return KafkaError("\(doing) failed: \(KafkaErrorCode.describe(code))", code: kind, brokerErrorCode: code)
  }
}
