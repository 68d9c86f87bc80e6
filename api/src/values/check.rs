//! One 422 for a whole request: what `validator`'s derive on the request type
//! finds, and each value that fails to parse, every failing field at once.

use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};

/// Gathers a request's failures while its values are parsed.
#[derive(Debug, Default)]
pub struct Check(Vec<FieldError>);

impl Check {
    /// Starts from the result of the request type's `validate()`.
    pub fn new(rules: Result<(), ValidationErrors>) -> Self {
        Self(rules.err().map(field_errors).unwrap_or_default())
    }

    /// The parsed value, or `None` with its failure kept for the answer.
    pub fn take<T>(&mut self, parsed: Result<T, FieldError>) -> Option<T> {
        parsed.map_err(|e| self.0.push(e)).ok()
    }

    /// A failure of a rule that spans fields.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.0.extend(errors);
    }

    /// 422 with every failure; else what `build` makes of the values taken
    /// (all of them `Some` then).
    pub fn done<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, ApiError> {
        if !self.0.is_empty() {
            return Err(ApiError::invalid(self.0));
        }
        build().ok_or_else(|| ApiError::internal(anyhow::anyhow!("a parsed value went missing")))
    }
}

/// `validator` rule for free text that is not a [`super::Name`] but must keep
/// to one line all the same (a title's English form).
pub fn one_line_rule(text: &impl AsRef<str>) -> Result<(), ValidationError> {
    if super::is_one_line(text.as_ref()) {
        Ok(())
    } else {
        Err(ValidationError::new("invalid_characters")
            .with_message(super::INVALID_CHARACTERS.into()))
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        ApiError::invalid(field_errors(errors))
    }
}

/// The failures `validator` found, nested ones named by their path
/// (`title.en`, `items[2].name`) as clients sent them.
fn field_errors(errors: ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    flatten("", errors, &mut out);
    out
}

fn flatten(prefix: &str, errors: ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.into_errors() {
        let path = if prefix.is_empty() {
            field.into_owned()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(errs) => out.extend(errs.into_iter().map(|e| {
                FieldError::new(
                    &path,
                    &e.code,
                    e.message.as_deref().unwrap_or("is invalid").to_owned(),
                )
            })),
            ValidationErrorsKind::Struct(inner) => flatten(&path, *inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(&format!("{path}[{i}]"), *inner, out);
                }
            }
        }
    }
}
