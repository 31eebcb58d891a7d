#ifndef CREADLINE_SHIM_H
#define CREADLINE_SHIM_H
// readline.h uses FILE; include <stdio.h> first for readlines that do not.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 rejects touching C globals directly; these accessors keep the unsafety in one place.
static inline void shim_rl_set_name(const char *name) { rl_readline_name = name; }
static inline void shim_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void shim_rl_set_no_filename_fallback(void) { rl_attempted_completion_over = 1; }
static inline const char *shim_rl_line_buffer(void) { return rl_line_buffer; }
static inline const char *shim_rl_library_version(void) { return rl_library_version; }
static inline void shim_rl_set_basic_word_break(const char *s) { rl_basic_word_break_characters = s; }
static inline void shim_rl_set_catch_signals(int v) { rl_catch_signals = v; }
static inline void shim_rl_set_event_hook(rl_hook_func_t *f) { rl_event_hook = f; }
// Drops the line being edited and shows `prompt` on a fresh line (Ctrl-C at the prompt, as in psql).
static inline void shim_rl_abandon_line(const char *prompt) {
    rl_replace_line("", 0);
    rl_crlf();
    rl_on_new_line();
    rl_set_prompt(prompt);
    rl_redisplay();
}
// Ctrl-C at the prompt as a key: `prep` runs in place of readline's terminal preparation (it calls
// `shim_rl_prep_terminal` and then switches the terminal's interrupt character off), and byte 0x03 runs `handler`
// in the emacs and both vi keymaps (an inputrc may choose vi mode).
static inline void shim_rl_bind_ctrl_c(rl_command_func_t *handler, rl_vintfunc_t *prep) {
    rl_prep_term_function = prep;
    const char *maps[] = {"emacs-standard", "vi-insert", "vi-command"};
    for (int i = 0; i < 3; i++) {
        Keymap map = rl_get_keymap_by_name(maps[i]);
        if (map) rl_bind_key_in_map(3, handler, map);
    }
}
static inline void shim_rl_prep_terminal(int meta) { rl_prep_terminal(meta); }
static inline int shim_rl_input_fd(void) { return rl_instream ? fileno(rl_instream) : 0; }
// Echoes `^C` after the text typed so far, as the terminal would for a signal.
static inline void shim_rl_echo_ctrl_c(void) {
    rl_point = rl_end;
    rl_redisplay();
    if (rl_outstream) fputs("^C", rl_outstream);
}
#endif
