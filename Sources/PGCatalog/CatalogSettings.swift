/// Default session settings (GUCs) reported by `current_setting()` and `pg_settings` when the snapshot does
/// not supply them. Values a client checks: pgjdbc reads max_index_keys / default_transaction_isolation,
/// asyncpg reads jit, psql and JDBC read server_version(_num).
enum CatalogSettings {
    static func defaults(for snapshot: PGCatalogSnapshot) -> [String: String] {
        [
            "server_version": "15.0", "server_version_num": "150000", "server_encoding": "UTF8",
            "client_encoding": "UTF8", "datestyle": "ISO, MDY", "intervalstyle": "postgres", "timezone": "UTC",
            "integer_datetimes": "on", "standard_conforming_strings": "on", "search_path": "\"$user\", public",
            "max_index_keys": "32", "max_identifier_length": "63", "default_transaction_isolation": "read committed",
            "transaction_isolation": "read committed", "transaction_read_only": "off", "jit": "off",
            "application_name": "", "is_superuser": "on", "session_authorization": snapshot.user,
            "lc_collate": "C", "lc_ctype": "C", "extra_float_digits": "1", "block_size": "8192",
            "default_tablespace": "", "bytea_output": "hex", "statement_timeout": "0",
        ]
    }

    /// GUC names are case-insensitive.
    static func key(_ name: String) -> String { name.lowercased() }
}
