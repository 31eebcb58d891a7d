import NIOCore

// MARK: - Start-up, encryption negotiation, authentication (protocol docs, "Start-up")

extension ConnectionStateMachine {
    mutating func receivedDuringStartup(_ message: FrontendMessage) -> Step {
        switch message {
        case .sslRequest, .gssEncryptionRequest:
            send(.encryptionRefused)  // 'N': continue unencrypted; the client sends its StartupMessage next
            return .readNext
        case .cancel(let request):
            state = .closed
            return .cancelBackend(request)
        case .startup(let startup):
            return receivedStartup(startup)
        default:
            return fatal(PGError.protocolViolation("expected a startup message"))
        }
    }

    private mutating func receivedStartup(_ startup: StartupMessage) -> Step {
        guard let user = startup.user, !user.isEmpty else {
            return fatal(
                PGError(
                    SQLState.invalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet"))
        }
        if openConnections > configuration.maximumConnections {  // PostgreSQL's words
            return fatal(PGError(SQLState.tooManyConnections, "sorry, too many clients already"))
        }
        if startup.minorVersion > 0 || !startup.protocolOptions.isEmpty {
            send(.negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: startup.protocolOptions))
        }
        let info = PGStartupInfo(startup, user: user)
        let exchange = configuration.authenticator.startExchange(user: user, randomBytes: configuration.randomBytes)
        guard let request = exchange.initialRequest else { return authenticated(info) }
        send(.authentication(request))
        state = .authenticating(exchange, info)
        return .readNext
    }

    mutating func receivedAuthentication(
        _ message: FrontendMessage, exchange: inout PGAuthenticationExchange, info: PGStartupInfo
    ) -> Step {
        switch message {
        case .authenticationResponse(let body):
            do {
                switch try exchange.receive(body) {
                case .challenge(let request):
                    send(.authentication(request))
                    state = .authenticating(exchange, info)
                    return .readNext
                case .authenticated(let final):
                    if let final { send(.authentication(final)) }
                    return authenticated(info)
                }
            } catch {
                return fatal(error)
            }
        case .terminate:
            return closeConnection()
        default:
            return fatal(PGError.protocolViolation("expected a password response"))
        }
    }

    private mutating func authenticated(_ info: PGStartupInfo) -> Step {
        send(.authentication(.ok))
        state = .busy(.startingSession)
        return .startSession(info)
    }

    /// `PGSession.startup` returned: report the settings, the cancel key, and become ready.
    public mutating func sessionStarted(parameters: [PGSetting]) -> Step {
        for setting in parameters { send(.parameterStatus(name: setting.name, value: setting.value)) }
        send(.backendKeyData(backendKey))
        return readyForQuery()
    }
}
