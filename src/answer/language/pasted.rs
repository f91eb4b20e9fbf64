//! Characters that documents, word processors and other keyboards put where the language has
//! an ASCII one. Mapping one character to one character keeps every position in an error the
//! position of what the learner typed.

/// The ASCII character `c` stands for, or `c` itself.
pub(super) fn normalize(c: char) -> char {
    match c {
        // Full-width forms (Chinese and Japanese input methods) sit at a fixed offset from
        // ASCII, from '！' to '～'.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        // The minus sign, hyphens and dashes (an en dash is what many editors make of " - ").
        '\u{2212}' | '\u{2010}'..='\u{2014}' | '\u{FE63}' => '-',
        '×' | '·' | '⋅' | '∙' | '∗' => '*',
        '÷' | '∕' => '/',
        // Primes and the closing quote that "smart quotes" make of an apostrophe.
        '’' | '′' => '\'',
        _ => c,
    }
}

/// Characters that take no room and mean nothing, such as a zero-width space or a byte-order
/// mark pasted along with a number: skipped without counting as a space between entries.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The value of a superscript digit (`²` is 2), for powers written as `x²`.
pub(super) fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴'..='⁹' => Some(c as u32 - '⁴' as u32 + 4),
        _ => None,
    }
}

/// `ᵀ` and `⊤`, the transpose marks of typeset formulas (`hᵀ`).
pub(super) fn is_transpose_mark(c: char) -> bool {
    matches!(c, 'ᵀ' | '⊤')
}
