#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The credential documents the providers fetch: STS XML, the JSON of the ECS and EC2 endpoints,
/// and token files. Errors name the provider and the missing field, never the document (it
/// holds the secret).
enum CredentialDocuments {
  /// `<Credentials>` of an STS AssumeRole* response.
  static func stsCredentials(_ text: String, provider: String) throws(ObjectStoreError) -> AWSCredentials {
    guard let block = S3XML.elements("Credentials", in: text[...]).first else {
      throw ObjectStoreError(.invalidResponse, "\(provider): the STS response has no <Credentials>")
    }
    func field(_ name: String) throws(ObjectStoreError) -> String {
      guard let value = S3XML.value(name, in: block), !value.isEmpty else {
        throw ObjectStoreError(.invalidResponse, "\(provider): the STS response has no \(name)")
      }
      return value
    }
    return AWSCredentials(
      accessKeyID: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
      sessionToken: try field("SessionToken"),
      expiration: try expiration(S3XML.value("Expiration", in: block), provider: provider))
  }

  /// The JSON both the ECS and the EC2 endpoints answer with.
  struct JSONCredentials: Decodable {
    var accessKeyID: String?
    var secretAccessKey: String?
    var token: String?
    var expiration: String?
    /// IMDS: "Success" or a failure code.
    var code: String?
    /// The ECS agent's errors: `{"code": …, "message": …}`.
    var errorCode: String?
    var message: String?

    enum CodingKeys: String, CodingKey {
      case accessKeyID = "AccessKeyId"
      case secretAccessKey = "SecretAccessKey"
      case token = "Token"
      case expiration = "Expiration"
      case code = "Code"
      case errorCode = "code"
      case message
    }
  }

  static func decodeJSON(_ body: [UInt8]) -> JSONCredentials? {
    try? JSONDecoder().decode(JSONCredentials.self, from: Data(body))
  }

  static func jsonCredentials(_ body: [UInt8], provider: String) throws(ObjectStoreError) -> AWSCredentials {
    guard let document = decodeJSON(body) else {
      throw ObjectStoreError(.invalidResponse, "\(provider): the credentials response is not the expected JSON")
    }
    if let code = document.code, code != "Success" {
      throw ObjectStoreError(.credentials, "\(provider): the credentials endpoint answered \(code)")
    }
    guard let keyID = document.accessKeyID, !keyID.isEmpty else {
      throw ObjectStoreError(.invalidResponse, "\(provider): the credentials response has no AccessKeyId")
    }
    guard let secret = document.secretAccessKey, !secret.isEmpty else {
      throw ObjectStoreError(.invalidResponse, "\(provider): the credentials response has no SecretAccessKey")
    }
    return AWSCredentials(
      accessKeyID: keyID, secretAccessKey: secret, sessionToken: document.token.flatMap { $0.isEmpty ? nil : $0 },
      expiration: try expiration(document.expiration, provider: provider))
  }

  /// ISO 8601 (`2026-11-21T13:00:00Z`) to seconds since 1970. A present but unreadable time is an
  /// error: taking the credentials as long-lived would keep them past their expiry.
  static func expiration(_ text: String?, provider: String) throws(ObjectStoreError) -> Double? {
    guard let text, !text.isEmpty else { return nil }
    guard let milliseconds = ISO8601.milliseconds(text) else {
      throw ObjectStoreError(.invalidResponse, "\(provider): the expiration '\(text)' is not an ISO 8601 time")
    }
    return Double(milliseconds) / 1000
  }

  /// A token file's contents without surrounding whitespace; nil when unreadable.
  static func readTrimmed(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
