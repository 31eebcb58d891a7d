/// How the server authenticates clients (pg_hba.conf's method column, for the methods Sluice has).
/// PostgreSQL docs, "Client Authentication" and protocol docs, "Start-up".
public enum PGAuthenticationMethod: String, Sendable, Hashable {
    /// Any user name, no password (Sluice's default on loopback).
    case trust
    case password
    case md5
    case scramSHA256 = "scram-sha-256"
}
