@preconcurrency import CReadline
@preconcurrency import Glibc

/// GNU readline: line editing, persistent history and tab completion. Readline is process-global C state, so
/// there is one editor per process; `ShellSession` owns it and feeds it the catalog for completion.
final class LineEditor {
    let historyFile: String?

    /// What completion sees: the catalog and the statement typed on earlier lines. Read only by
    /// `completeCallback` on the shell's one thread, inside `readline()`.
    nonisolated(unsafe) static var catalog = CompletionCatalog()
    nonisolated(unsafe) static var pendingText = ""

    init(historyFile: String?) {
        self.historyFile = historyFile
        shim_rl_set_name(UnsafePointer(strdup("sluice")!))
        shim_rl_set_basic_word_break(UnsafePointer(strdup(" \t\n(),;=")!))
        shim_rl_set_completion(completeLine)
        shim_rl_set_event_hook(pollInterrupt)
        shim_rl_bind_ctrl_c(ctrlCKey, prepareTerminal)
        using_history()
        if let historyFile { read_history(historyFile) }
    }

    static var readlineVersion: String { String(cString: shim_rl_library_version()) }

    /// Set by `ShellSession`: whether SIGINT arrived since the last call (and clears it).
    nonisolated(unsafe) static var takeInterrupt: () -> Bool = { false }
    /// Whether Ctrl-C abandoned the statement being typed during the last `readLine`.
    nonisolated(unsafe) static var abandoned = false

    /// One line without its newline; nil at end of input (Ctrl-D on an empty line).
    func readLine(prompt: String) -> String? {
        guard let line = readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    /// Adds an entry to the history and saves the file at once, so a crash or kill loses nothing typed.
    func remember(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace) else { return }
        add_history(entry)
        if let historyFile {
            write_history(historyFile)
            history_truncate_file(historyFile, 2000)
        }
    }

    /// readline's attempted-completion hook: returns a malloc'd, NULL-terminated array whose first entry is the
    /// text that replaces the word (the longest common prefix), followed by the matches.
    static func complete(end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        shim_rl_set_no_filename_fallback()
        let line = shim_rl_line_buffer().map { String(cString: $0) } ?? ""
        let prefix = String(decoding: Array(line.utf8).prefix(Int(end)), as: UTF8.self)
        let matches = Completer.candidates(prefix: LineEditor.pendingText + prefix, catalog: LineEditor.catalog)
        guard !matches.isEmpty else { return nil }
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: matches.count + 2)
        array[0] = strdup(longestCommonPrefix(matches))
        for (index, match) in matches.enumerated() { array[index + 1] = strdup(match) }
        array[matches.count + 1] = nil
        if matches.count == 1 {
            free(array[1])
            array[1] = nil
        }
        return array
    }

    static func longestCommonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let characters = Array(word)
            var n = 0
            while n < prefix.count, n < characters.count,
                String(prefix[n]).uppercased() == String(characters[n]).uppercased()
            { n += 1 }
            prefix = Array(prefix.prefix(n))
        }
        return String(prefix)
    }
}

/// The C entry point readline calls on Tab; forwards to `LineEditor.complete(end:)`.
private func completeLine(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    LineEditor.complete(end: end)
}

nonisolated(unsafe) private let mainPrompt = UnsafePointer(strdup("sluice> ")!)

/// Readline's terminal set-up plus one change: while a line is edited the interrupt character is off, so Ctrl-C
/// reaches readline as the byte 0x03 (bound to `ctrlCKey`) instead of raising SIGINT. Readline restores the
/// terminal's own settings when the line is done, so Ctrl-C during a running statement still signals and cancels.
private func prepareTerminal(_ meta: Int32) {
    shim_rl_prep_terminal(meta)
    let fd = shim_rl_input_fd()
    var settings = termios()
    guard tcgetattr(fd, &settings) == 0 else { return }
    withUnsafeMutableBytes(of: &settings.c_cc) { $0[Int(VINTR)] = 0 }  // _POSIX_VDISABLE on Linux
    tcsetattr(fd, TCSADRAIN, &settings)
}

/// Ctrl-C typed at the prompt: readline sees it as a key, so dropping the statement being typed never depends on
/// which thread a signal lands on.
private func ctrlCKey(_ count: Int32, _ key: Int32) -> Int32 {
    shim_rl_echo_ctrl_c()
    abandonLine()
    return 0
}

/// readline's event hook, called about every 0.1 s while it waits for a key. A SIGINT sent from elsewhere
/// (`kill -INT`) may be delivered to any thread (the shell does not run on the main thread under ArgumentParser's
/// async main), so it cannot rely on interrupting readline's read; instead the handler sets a flag and this hook
/// polls it.
private func pollInterrupt() -> Int32 {
    if LineEditor.takeInterrupt() { abandonLine() }
    return 0
}

private func abandonLine() {
    LineEditor.abandoned = true
    LineEditor.pendingText = ""
    shim_rl_abandon_line(mainPrompt)
}
