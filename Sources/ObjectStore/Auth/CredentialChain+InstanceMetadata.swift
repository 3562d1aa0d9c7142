/// The EC2 instance profile through the instance metadata service. Off EC2 nothing answers, so
/// every request has a one-second timeout and an unreachable service just means "not here".
extension CredentialChain {
  static let imdsTimeout: Duration = .seconds(1)

  func fromInstanceMetadata() throws(ObjectStoreError) -> Outcome {
    if variable("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
      return .unavailable("disabled by AWS_EC2_METADATA_DISABLED")
    }
    let endpoint = imdsEndpoint
    let unreachable = Outcome.unavailable("not reachable at \(endpoint)")
    func get(_ path: String, token: String?) throws(ObjectStoreError) -> HTTPResponse {
      let headers = token.map { [(name: "X-aws-ec2-metadata-token", value: $0)] } ?? []
      return try transport.send(
        HTTPRequest(method: "GET", url: endpoint + path, headers: headers, timeout: Self.imdsTimeout))
    }

    // IMDSv2: a session token first. 403/404/405 mean the instance (or a proxy) refuses PUT
    // tokens: fall back to IMDSv1 unless AWS_EC2_METADATA_V1_DISABLED, as the SDKs do.
    let token: String?
    do {
      let response = try transport.send(
        HTTPRequest(
          method: "PUT", url: endpoint + "/latest/api/token",
          headers: [(name: "X-aws-ec2-metadata-token-ttl-seconds", value: "21600")], timeout: Self.imdsTimeout))
      switch response.status {
      case 200 where !response.body.isEmpty:
        token = response.bodyText
      case 403, 404, 405:
        guard variable("AWS_EC2_METADATA_V1_DISABLED")?.lowercased() != "true" else {
          return .unavailable("IMDSv2 refused at \(endpoint) and IMDSv1 disabled")
        }
        token = nil
      default:
        return .unavailable("the token request to \(endpoint) answered HTTP \(response.status)")
      }
    } catch {
      return unreachable
    }

    let rolePath = "/latest/meta-data/iam/security-credentials/"
    let roles: HTTPResponse
    do { roles = try get(rolePath, token: token) } catch { return unreachable }
    switch roles.status {
    case 200: break
    case 403, 404: return .unavailable("no IAM role attached to the instance")
    default:
      throw ObjectStoreError(
        .credentials, "imds: listing the instance's IAM role failed", location: endpoint, status: roles.status)
    }
    guard let role = roles.bodyText.split(whereSeparator: \.isNewline).first.map({ String($0) }), !role.isEmpty
    else { return .unavailable("no IAM role attached to the instance") }

    let answer: HTTPResponse
    do {
      answer = try get(rolePath + SigV4.uriEncode(role, encodeSlash: true), token: token)
    } catch {
      throw ObjectStoreError(
        error.code, "imds: fetching the credentials of role \(role) failed: \(error.message)", location: endpoint)
    }
    guard answer.status == 200 else {
      throw ObjectStoreError(
        .credentials, "imds: fetching the credentials of role \(role) failed", location: endpoint, status: answer.status
      )
    }
    do {
      return .found(try CredentialDocuments.jsonCredentials(answer.body, provider: "imds"), source: "imds")
    } catch {
      var located = error
      located.location = endpoint
      throw located
    }
  }

  /// AWS_EC2_METADATA_SERVICE_ENDPOINT, the profile's `ec2_metadata_service_endpoint`, the IPv6
  /// address when AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6, else 169.254.169.254.
  var imdsEndpoint: String {
    let configured =
      variable("AWS_EC2_METADATA_SERVICE_ENDPOINT")
      ?? files.profile(profileName)?["ec2_metadata_service_endpoint"].flatMap { $0.isEmpty ? nil : $0 }
    if let configured { return configured.hasSuffix("/") ? String(configured.dropLast()) : configured }
    let mode =
      variable("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
      ?? files.profile(profileName)?["ec2_metadata_service_endpoint_mode"]
    return mode?.lowercased() == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254"
  }
}
