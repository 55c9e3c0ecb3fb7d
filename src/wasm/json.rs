//! A small JSON writer for the values the page reads (catalog, status, config, …), handed to
//! JavaScript through `JSON.parse`. It replaces serde + serde-wasm-bindgen, which cost several
//! kilobytes of download for the same plain objects. Non-finite numbers become `null`.

use std::fmt::Write;

use wasm_bindgen::prelude::*;

/// A value that can write itself as JSON.
pub(crate) trait ToJson {
    fn write_json(&self, out: &mut String);
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        let a = self.abs();
        if a != 0.0 && !(1e-6..1e16).contains(&a) && a.is_finite() {
            let _ = write!(out, "{self:e}");
        } else if self.is_finite() {
            let _ = write!(out, "{self}");
        } else {
            out.push_str("null");
        }
    }
}

macro_rules! json_int {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
json_int!(u8, u32, u64, usize);

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

/// `impl ToJson` for a struct, as an object of the listed fields.
macro_rules! json_object {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::wasm::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                out.push('{');
                let mut _first = true;
                $(
                    if !_first {
                        out.push(',');
                    }
                    _first = false;
                    out.push_str(concat!("\"", stringify!($field), "\":"));
                    $crate::wasm::json::ToJson::write_json(&self.$field, out);
                )*
                out.push('}');
            }
        }
    };
}
pub(crate) use json_object;

/// The value as a plain JS object (via `JSON.parse`).
pub(crate) fn to_js<T: ToJson + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    let mut s = String::new();
    v.write_json(&mut s);
    js_sys::JSON::parse(&s).map_err(|_| JsError::new("internal: could not build a value for JS"))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct P {
        a: f64,
        b: Option<String>,
        c: Vec<(String, u32)>,
    }
    json_object!(P { a, b, c });

    #[test]
    fn writes_objects_arrays_and_escapes() {
        let mut s = String::new();
        P {
            a: f64::NAN,
            b: Some("q\"\\\n".into()),
            c: vec![("k".into(), 3)],
        }
        .write_json(&mut s);
        assert_eq!(s, r#"{"a":null,"b":"q\"\\\u000a","c":[["k",3]]}"#);
        let mut s = String::new();
        [1e-8, -0.5, 1e300, 0.25].write_json(&mut s);
        assert_eq!(s, "[1e-8,-0.5,1e300,0.25]");
    }
}
