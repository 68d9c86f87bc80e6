//! Deserialisation helpers that follow JSON Schema rather than Rust types.

use serde::{de::Error, Deserialize, Deserializer};

/// JSON Schema counts `12.0` as an integer; accept any whole number that fits.
pub fn whole_u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = f64::deserialize(d)?;
    if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
        Ok(v as u32)
    } else {
        Err(D::Error::custom(format!(
            "expected a whole number from 0 to {}, found {v}",
            u32::MAX
        )))
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct N {
        #[serde(deserialize_with = "super::whole_u32")]
        n: u32,
    }

    #[test]
    fn whole_numbers_are_accepted_in_either_notation() {
        assert_eq!(serde_json::from_str::<N>(r#"{"n": 12}"#).unwrap().n, 12);
        assert_eq!(serde_json::from_str::<N>(r#"{"n": 12.0}"#).unwrap().n, 12);
        assert!(serde_json::from_str::<N>(r#"{"n": 12.5}"#).is_err());
        assert!(serde_json::from_str::<N>(r#"{"n": -1}"#).is_err());
        assert!(serde_json::from_str::<N>(r#"{"n": "12"}"#).is_err());
    }
}
