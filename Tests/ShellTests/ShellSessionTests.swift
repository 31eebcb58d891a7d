import Testing

@testable import Shell

@Suite struct ShellSessionTests {
    @Test func colourOnlyOnATerminalAndNeverWithNoColor() {
        #expect(ShellSession.wantsColor(stdoutIsTTY: true, environment: ["TERM": "xterm"]))
        #expect(!ShellSession.wantsColor(stdoutIsTTY: false, environment: ["TERM": "xterm"]))
        #expect(!ShellSession.wantsColor(stdoutIsTTY: true, environment: ["NO_COLOR": ""]))
        #expect(!ShellSession.wantsColor(stdoutIsTTY: true, environment: ["NO_COLOR": "1"]))
        #expect(!ShellSession.wantsColor(stdoutIsTTY: true, environment: ["TERM": "dumb"]))
    }

    @Test func tablesFitTheWindowOnlyWhenStdoutIsATerminal() {
        #expect(
            ShellSession.terminalWidth(stdoutIsTTY: true, windowColumns: 100, environment: ["COLUMNS": "80"]) == 100)
        #expect(ShellSession.terminalWidth(stdoutIsTTY: true, windowColumns: 0, environment: ["COLUMNS": "80"]) == 80)
        #expect(ShellSession.terminalWidth(stdoutIsTTY: true, windowColumns: 0, environment: [:]) == nil)
        #expect(
            ShellSession.terminalWidth(stdoutIsTTY: false, windowColumns: 100, environment: ["COLUMNS": "80"]) == nil)
    }
}
