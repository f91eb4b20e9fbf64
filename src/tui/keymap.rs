//! The one table of keys. `update` looks keys up in it, and the key-help line and the `?`
//! overlay are printed from it, so what the screen says and what the keys do cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// What a key asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    Submit,
    LeaveInput,
    EnterInput,
    PreviousStep,
    NextStep,
    Hint,
    Reveal,
    PickerUp,
    PickerDown,
    PickerOpen,
}

/// Where a binding works. Outside the answer box no key types, so single letters are safe there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Anywhere,
    AnswerBox,
    /// A lesson, with the focus outside the answer box.
    Screen,
    Picker,
    /// The `?` overlay is open.
    Help,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Left,
    Right,
    Up,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub scopes: &'static [Scope],
    /// Only while a question is open in practice mode (a walkthrough shows every answer, and a
    /// step that is done has nothing to hint or type).
    pub answering_only: bool,
    /// A word or two for the key-help line.
    pub short: &'static str,
    /// A sentence for the help overlay.
    pub help: &'static str,
}

/// Where the keyboard is, as far as the key table cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub scope: Scope,
    /// Practice mode with a question open on screen.
    pub answering: bool,
}

const OUTSIDE: &[Scope] = &[Scope::Screen, Scope::Picker, Scope::Help];

const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[Key::Enter],
        action: Action::Submit,
        scopes: &[Scope::AnswerBox],
        answering_only: true,
        short: "submit",
        help: "submit the answer",
    },
    Binding {
        keys: &[Key::Esc],
        action: Action::LeaveInput,
        scopes: &[Scope::AnswerBox],
        answering_only: true,
        short: "leave the box",
        help: "leave the answer box, so that the keys below work",
    },
    Binding {
        keys: &[Key::Up, Key::Char('k')],
        action: Action::PickerUp,
        scopes: &[Scope::Picker],
        answering_only: false,
        short: "up",
        help: "previous lesson",
    },
    Binding {
        keys: &[Key::Down, Key::Char('j')],
        action: Action::PickerDown,
        scopes: &[Scope::Picker],
        answering_only: false,
        short: "down",
        help: "next lesson",
    },
    Binding {
        keys: &[Key::Enter],
        action: Action::PickerOpen,
        scopes: &[Scope::Picker],
        answering_only: false,
        short: "open",
        help: "open the lesson",
    },
    Binding {
        keys: &[Key::Left],
        action: Action::PreviousStep,
        scopes: &[Scope::Screen],
        answering_only: false,
        short: "prev",
        help: "previous step",
    },
    Binding {
        keys: &[Key::Right],
        action: Action::NextStep,
        scopes: &[Scope::Screen],
        answering_only: false,
        short: "next",
        help: "next step (in practice, up to the first one not done yet)",
    },
    Binding {
        keys: &[Key::Char('h')],
        action: Action::Hint,
        scopes: &[Scope::Screen],
        answering_only: true,
        short: "hint",
        help: "a hint: the formula, then the shapes, then the first entry",
    },
    Binding {
        keys: &[Key::Char('r')],
        action: Action::Reveal,
        scopes: &[Scope::Screen],
        answering_only: true,
        short: "reveal",
        help: "reveal the answer and its derivation (counted as revealed)",
    },
    Binding {
        keys: &[Key::Char('i'), Key::Enter],
        action: Action::EnterInput,
        scopes: &[Scope::Screen],
        answering_only: true,
        short: "answer",
        help: "go to the answer box (or just start typing)",
    },
    Binding {
        keys: &[Key::Char('?')],
        action: Action::ToggleHelp,
        scopes: OUTSIDE,
        answering_only: false,
        short: "help",
        help: "show or hide this help",
    },
    Binding {
        keys: &[Key::Esc],
        action: Action::ToggleHelp,
        scopes: &[Scope::Help],
        answering_only: false,
        short: "close help",
        help: "close this help",
    },
    Binding {
        keys: &[Key::Char('q')],
        action: Action::Quit,
        scopes: OUTSIDE,
        answering_only: false,
        short: "quit",
        help: "quit (progress is saved)",
    },
    Binding {
        keys: &[Key::Ctrl('c')],
        action: Action::Quit,
        scopes: &[Scope::Anywhere],
        answering_only: false,
        short: "quit",
        help: "quit, even from the answer box (progress is saved)",
    },
];

/// The whole key table, in the order the help shows it.
pub fn bindings() -> &'static [Binding] {
    BINDINGS
}

impl Binding {
    pub fn applies(&self, context: Context) -> bool {
        (context.answering || !self.answering_only)
            && self.scopes.iter().any(|&s| s == Scope::Anywhere || s == context.scope)
    }

    /// The keys as the screen writes them: `i/Enter`.
    pub fn key_text(&self) -> String {
        self.keys.iter().map(Key::to_string).collect::<Vec<_>>().join("/")
    }
}

/// The key that does `action`, as the screen writes it, for prompts like "h: a hint".
pub fn key_for(action: Action) -> String {
    BINDINGS.iter().find(|b| b.action == action).map_or_else(String::new, Binding::key_text)
}

/// What the key-help line says of a binding: its short text, and for leaving the answer box
/// the keys that then work (`leave the box (for h, r, ←/→, q)`).
pub fn short_text(binding: &Binding) -> String {
    if binding.action != Action::LeaveInput {
        return binding.short.to_string();
    }
    let outside = Context { scope: Scope::Screen, answering: true };
    let key = |action: Action| {
        BINDINGS
            .iter()
            .find(|b| b.action == action && b.applies(outside))
            .map_or_else(String::new, Binding::key_text)
    };
    let steps = format!("{}/{}", key(Action::PreviousStep), key(Action::NextStep));
    let keys = [key(Action::Hint), key(Action::Reveal), steps, key(Action::Quit)];
    format!("{} (for {})", binding.short, keys.join(", "))
}

/// The key that does `action` wherever the keyboard is (Ctrl-C for quit).
pub fn key_anywhere(action: Action) -> String {
    BINDINGS
        .iter()
        .find(|b| b.action == action && b.scopes.contains(&Scope::Anywhere))
        .map_or_else(String::new, Binding::key_text)
}

/// The action a key press asks for where the keyboard is, if any.
pub fn action(event: &KeyEvent, context: Context) -> Option<Action> {
    BINDINGS.iter().find(|b| b.applies(context) && b.keys.iter().any(|k| k.matches(event))).map(|b| b.action)
}

/// The bindings for the key-help line: those that apply here, one per action (the table lists
/// `q` before `Ctrl-C`, so the shorter key is the one shown).
pub fn key_help(context: Context) -> Vec<&'static Binding> {
    let mut shown: Vec<&'static Binding> = Vec::new();
    for binding in BINDINGS.iter().filter(|b| b.applies(context)) {
        if !shown.iter().any(|s| s.action == binding.action) {
            shown.push(binding);
        }
    }
    shown
}

impl Key {
    fn matches(self, event: &KeyEvent) -> bool {
        // Shift is part of the character itself ('?' needs it on most layouts).
        let plain = (event.modifiers - KeyModifiers::SHIFT).is_empty();
        match self {
            Key::Char(c) => plain && event.code == KeyCode::Char(c),
            Key::Ctrl(c) => {
                event.modifiers.contains(KeyModifiers::CONTROL)
                    && matches!(event.code, KeyCode::Char(k) if k.eq_ignore_ascii_case(&c))
            }
            Key::Enter => plain && event.code == KeyCode::Enter,
            Key::Esc => plain && event.code == KeyCode::Esc,
            Key::Left => plain && event.code == KeyCode::Left,
            Key::Right => plain && event.code == KeyCode::Right,
            Key::Up => plain && event.code == KeyCode::Up,
            Key::Down => plain && event.code == KeyCode::Down,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "Ctrl-{}", c.to_ascii_uppercase()),
            Key::Enter => write!(f, "Enter"),
            Key::Esc => write!(f, "Esc"),
            Key::Left => write!(f, "←"),
            Key::Right => write!(f, "→"),
            Key::Up => write!(f, "↑"),
            Key::Down => write!(f, "↓"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn letters_are_commands_only_outside_the_answer_box() {
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        let screen = Context { scope: Scope::Screen, answering: true };
        let answer_box = Context { scope: Scope::AnswerBox, answering: true };
        assert_eq!(action(&q, screen), Some(Action::Quit));
        assert_eq!(action(&q, answer_box), None);
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action(&ctrl_c, answer_box), Some(Action::Quit));
    }

    #[test]
    fn question_mark_with_shift_opens_help() {
        let screen = Context { scope: Scope::Screen, answering: false };
        assert_eq!(action(&key(KeyCode::Char('?'), KeyModifiers::SHIFT), screen), Some(Action::ToggleHelp));
    }

    #[test]
    fn leaving_the_box_names_the_keys_that_then_work() {
        let leave = bindings().iter().find(|b| b.action == Action::LeaveInput).unwrap();
        assert_eq!(short_text(leave), "leave the box (for h, r, ←/→, q)");
    }

    #[test]
    fn practice_keys_do_nothing_in_walkthrough() {
        let walkthrough = Context { scope: Scope::Screen, answering: false };
        assert_eq!(action(&key(KeyCode::Char('h'), KeyModifiers::NONE), walkthrough), None);
        assert_eq!(action(&key(KeyCode::Right, KeyModifiers::NONE), walkthrough), Some(Action::NextStep));
    }
}
