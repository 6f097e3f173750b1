//! Outputs (`classifyResponse`'s outcome, an error's fields, a bulk run's
//! results and events, a policy): serde, with serde-wasm-bindgen for every
//! value and its sound part only. Objects and arrays are made here.
//!
//! Why not serde-wasm-bindgen's own struct path: it turns each field name
//! into a JS string through a `HashMap` cache (with hashbrown, 3.2 KB raw of
//! the browser module and 2.5 KB of the full one, measured with a patched
//! copy), and it fills objects by assignment, so a setter planted on
//! `Object.prototype` sees the values. Here a field's name is the crate's
//! one cache of JS strings for `'static` names (`js::key`), and the object
//! is filled by definition (`JsObject::set`), as every object this package
//! makes for JS is. Numbers, strings, booleans and `null` for `None` (the
//! README's shapes) are serde-wasm-bindgen's.

use js_sys::Array;
use serde::ser::{self, Impossible, Serialize};
use serde_wasm_bindgen::Error;
use wasm_bindgen::JsValue;

use super::js::{key, JsObject};

/// serde-wasm-bindgen, for every value that is not an object or an array.
static VALUES: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);

/// `value` as a plain JS value. Only out-of-range integers can fail, and
/// the core caps every number it reports at `Number.MAX_SAFE_INTEGER`.
pub(crate) fn to_js(value: &impl Serialize) -> JsValue {
    value.serialize(Output).unwrap_or(JsValue::NULL)
}

/// A struct's fields defined on an object made elsewhere (an `Error`'s):
/// `serialize_field` on it writes each, as on any output.
pub(crate) fn fields_on(
    object: js_sys::Object,
) -> impl ser::SerializeStruct<Ok = JsValue, Error = Error> {
    Object(JsObject::on(object))
}

/// The serializer: structs and sequences here, the rest through [`VALUES`].
#[derive(Clone, Copy)]
struct Output;

/// A struct, as a plain object defined field by field.
struct Object(JsObject);

/// A sequence, as an array.
struct Elements(Array);

type Result<T = JsValue> = std::result::Result<T, Error>;

/// A shape no output of this crate has (maps, tuples, enum variants with data).
fn unsupported<T>() -> Result<T> {
    Err(<Error as ser::Error>::custom("unsupported output shape"))
}

macro_rules! through_values {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method(self, value: $type) -> Result {
            (&VALUES).$method(value)
        })*
    };
}

impl ser::Serializer for Output {
    type Ok = JsValue;
    type Error = Error;
    type SerializeSeq = Elements;
    type SerializeTuple = Impossible<JsValue, Error>;
    type SerializeTupleStruct = Impossible<JsValue, Error>;
    type SerializeTupleVariant = Impossible<JsValue, Error>;
    type SerializeMap = Impossible<JsValue, Error>;
    type SerializeStruct = Object;
    type SerializeStructVariant = Impossible<JsValue, Error>;

    through_values!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
    );

    fn serialize_none(self) -> Result {
        (&VALUES).serialize_none()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        (&VALUES).serialize_unit()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        (&VALUES).serialize_unit()
    }

    /// The variant's name, from the same cache as field names.
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        Ok(key(variant).clone())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        unsupported()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Elements> {
        Ok(Elements(Array::new()))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        unsupported()
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        unsupported()
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        unsupported()
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        unsupported()
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object> {
        Ok(Object(JsObject::new()))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        unsupported()
    }
}

impl ser::SerializeStruct for Object {
    type Ok = JsValue;
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        let value = value.serialize(Output)?;
        self.0.set(name, value);
        Ok(())
    }

    fn end(self) -> Result {
        Ok(self.0.into_value())
    }
}

impl ser::SerializeSeq for Elements {
    type Ok = JsValue;
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.0.push(&value.serialize(Output)?);
        Ok(())
    }

    fn end(self) -> Result {
        Ok(self.0.into())
    }
}
