//! The quoting of CSV text, checked before it is read: the `csv` crate reads a quoted field
//! that never closes as the rest of the file, and text after a closing quote (`"ab"c`) as
//! more of the field, both without a word. This pass over the bytes finds either and says
//! where, as a person finds it: the 1-based line (counting `\n`, so a quoted field with line
//! breaks moves the lines after it) and the 1-based field of its row (the column).
//!
//! A quote is special only at the start of a field, as in the `csv` crate, Excel and
//! Python's `csv`: `5" screen` is a field with a quote in it.

/// What is wrong with the quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QuoteProblem {
    /// A quoted field never closes: the position is where its quote opens.
    Unclosed,
    /// Something other than the delimiter or a line end follows a closing quote: the
    /// position is that text's.
    TextAfterQuote,
}

/// A quoting problem and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QuoteError {
    pub problem: QuoteProblem,
    /// 1-based line.
    pub line: usize,
    /// 1-based field of the row.
    pub field: usize,
    /// Whether the row is the first one (the header).
    pub in_header: bool,
}

#[derive(Clone, Copy)]
enum State {
    /// At the start of a field.
    FieldStart,
    /// Inside a field that did not start with a quote.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: a second quote (`""`) or the end.
    QuoteInQuoted,
}

/// Checks the quoting of `text` read with `delimiter` (see the module documentation).
pub(crate) fn check_quotes(text: &[u8], delimiter: u8) -> Result<(), QuoteError> {
    let mut state = State::FieldStart;
    let (mut line, mut field) = (1, 1);
    // Where the open quoted field starts.
    let mut opened = (1, 1);
    // Rows ended so far that had something in them (blank lines are not rows).
    let mut rows = 0;
    let mut row_started = false;
    for &b in text {
        let at = |problem, line, field| QuoteError {
            problem,
            line,
            field,
            in_header: rows == 0,
        };
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::FieldStart, b'"') => {
                opened = (line, field);
                State::Quoted
            }
            (_, b'\n' | b'\r') => {
                if row_started {
                    rows += 1;
                }
                row_started = false;
                field = 1;
                State::FieldStart
            }
            (_, d) if d == delimiter => {
                field += 1;
                State::FieldStart
            }
            (State::QuoteInQuoted, _) => {
                return Err(at(QuoteProblem::TextAfterQuote, line, field));
            }
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        } else if b != b'\r' {
            row_started = true;
        }
    }
    if let State::Quoted = state {
        return Err(QuoteError {
            problem: QuoteProblem::Unclosed,
            line: opened.0,
            field: opened.1,
            in_header: rows == 0,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<(), (QuoteProblem, usize, usize, bool)> {
        check_quotes(text.as_bytes(), b',').map_err(|e| (e.problem, e.line, e.field, e.in_header))
    }

    #[test]
    fn well_formed_quoting_passes() {
        assert_eq!(check("a,b\n\"1,2\",\"x\"\"y\"\"\"\n"), Ok(()));
        assert_eq!(check("a,b\r\n\"multi\r\nline\",5\" screen\r\n"), Ok(()));
        assert_eq!(check("\"\"\n\"\""), Ok(()));
    }

    #[test]
    fn problems_are_placed() {
        use QuoteProblem::*;
        assert_eq!(check("a,b\n1,\"x\n2,y\n"), Err((Unclosed, 2, 2, false)));
        assert_eq!(check("\"a,b\n1,2\n"), Err((Unclosed, 1, 1, true)));
        assert_eq!(check("a,b\n1,\""), Err((Unclosed, 2, 2, false)));
        assert_eq!(
            check("a,b\n\"1\nx\",\"y\"z\n"),
            Err((TextAfterQuote, 3, 2, false))
        );
        assert_eq!(check("a,\"b\" \n"), Err((TextAfterQuote, 1, 2, true)));
        // The row after blank lines is not the header.
        assert_eq!(check("a\n\n\n\"x"), Err((Unclosed, 4, 1, false)));
    }
}
