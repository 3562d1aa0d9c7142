/// The ECS task role endpoint (and EKS Pod Identity, which uses the same variables).
extension CredentialChain {
  static let ecsHost = "http://169.254.170.2"
  /// Plain-HTTP hosts allowed in AWS_CONTAINER_CREDENTIALS_FULL_URI, as in the AWS SDKs: the
  /// authorization token must not travel unencrypted to anything but the local agent.
  static let containerHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]"]

  func fromContainer() throws(ObjectStoreError) -> Outcome {
    let url: String
    var headers: [(name: String, value: String)] = []
    if let relative = variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
      url = Self.ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)
    } else if let full = variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
      let parsed = SigV4.ParsedURL(full)
      let host = parsed.host.lowercased()
      guard
        parsed.scheme == "https"
          || (parsed.scheme == "http" && (Self.containerHosts.contains(host) || host.hasPrefix("127.")))
      else {
        throw ObjectStoreError(
          .credentials,
          "ecs: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback or ECS/EKS agent address",
          location: "\(parsed.scheme)://\(parsed.hostHeader)")
      }
      url = full
      if let authorization = try containerAuthorization() {
        headers.append((name: "Authorization", value: authorization))
      }
    } else {
      return .unavailable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI not set")
    }
    // The URI can act as a key to the credentials: messages show only the endpoint.
    let parsed = SigV4.ParsedURL(url)
    let location = "\(parsed.scheme)://\(parsed.hostHeader)"
    let response: HTTPResponse
    do {
      response = try transport.send(HTTPRequest(method: "GET", url: url, headers: headers, timeout: .seconds(5)))
    } catch {
      throw ObjectStoreError(
        error.code, "ecs: the container credentials endpoint is not reachable: \(error.message)", location: location)
    }
    guard response.status == 200 else {
      let document = CredentialDocuments.decodeJSON(response.body)
      let detail = [document?.errorCode, document?.message].compactMap { $0 }
      throw ObjectStoreError(
        .credentials,
        "ecs: the container credentials endpoint failed"
          + (detail.isEmpty ? "" : ": " + detail.joined(separator: ": ")),
        location: location, status: response.status)
    }
    let credentials: AWSCredentials
    do {
      credentials = try CredentialDocuments.jsonCredentials(response.body, provider: "ecs")
    } catch {
      var located = error
      located.location = location
      throw located
    }
    return .found(credentials, source: "ecs")
  }

  /// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read on each call: the agent rotates it) wins over
  /// AWS_CONTAINER_AUTHORIZATION_TOKEN, as in the SDKs.
  func containerAuthorization() throws(ObjectStoreError) -> String? {
    if let path = variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
      guard let token = CredentialDocuments.readTrimmed(path), !token.isEmpty else {
        throw ObjectStoreError(.credentials, "ecs: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path)")
      }
      return try headerSafe(token)
    }
    return try variable("AWS_CONTAINER_AUTHORIZATION_TOKEN").map(headerSafe)
  }

  /// A line break in the token would smuggle extra headers into the request.
  private func headerSafe(_ token: String) throws(ObjectStoreError) -> String {
    guard !token.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
      throw ObjectStoreError(.credentials, "ecs: the container authorization token contains a line break")
    }
    return token
  }
}
