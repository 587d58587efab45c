//! The [`Writer`]'s methods for single values: `bool`, integers, floats, complex numbers,
//! strings and `None`, spelled by [`literal`](crate::python::literal); a NaN inside a dict key is
//! refused here.

use super::Writer;
use super::table::Scalar;
use crate::error::{WriteError, WriteErrorKind};
use crate::python::literal;

impl Writer {
    /// Write `True` or `False`.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_bool(true);
    /// assert_eq!(w.take_expression(), "True");
    /// ```
    pub fn write_bool(&mut self, v: bool) {
        if let Some(capture) = &mut self.capture {
            return capture.push(&Scalar::Bool(v));
        }
        self.out.push_str(if v { "True" } else { "False" });
    }

    /// Write an integer of any width in decimal (any primitive integer: see [`Integer`](crate::Integer)).
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_int(u128::MAX);
    /// assert_eq!(w.take_expression(), "340282366920938463463374607431768211455");
    /// ```
    pub fn write_int(&mut self, v: impl literal::Integer) {
        if let Some(capture) = &mut self.capture {
            return capture.push(&Scalar::Int(v.to_i128()));
        }
        literal::push_int(&mut self.out, v);
    }

    /// Write a float exactly (`float('nan')`, `float('inf')` for the non-finite ones).
    ///
    /// # Errors
    /// A NaN inside a dict key: Python could never look it up.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_f64(f64::NEG_INFINITY)?;
    /// assert_eq!(w.take_expression(), "-float('inf')");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn write_f64(&mut self, v: f64) -> Result<(), WriteError> {
        if let Some(capture) = &mut self.capture {
            capture.push(&Scalar::F64(v));
            return Ok(());
        }
        self.check_key_float(v)?;
        literal::push_f64(&mut self.out, v);
        Ok(())
    }

    /// Write an `f32` as the shortest decimal that reads back to the same `f32`.
    ///
    /// # Errors
    /// A NaN inside a dict key.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_f32(0.1)?;
    ///     /// assert_eq!(w.take_expression(), "0.1");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn write_f32(&mut self, v: f32) -> Result<(), WriteError> {
        if let Some(capture) = &mut self.capture {
            capture.push(&Scalar::F64(f64::from(v)));
            return Ok(());
        }
        self.check_key_float(f64::from(v))?;
        literal::push_f32(&mut self.out, v);
        Ok(())
    }

    /// Write `complex(re, im)`.
    ///
    /// # Errors
    /// A NaN part inside a dict key.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_complex(1.5, -2.0)?;
    /// assert_eq!(w.take_expression(), "complex(1.5, -2.0)");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn write_complex(&mut self, re: f64, im: f64) -> Result<(), WriteError> {
        if let Some(capture) = &mut self.capture {
            capture.push(&Scalar::Complex(re, im));
            return Ok(());
        }
        self.check_key_float(re)?;
        self.check_key_float(im)?;
        literal::push_complex(&mut self.out, re, im);
        Ok(())
    }

    /// Write `complex(re, im)` with `f32` parts in their shortest form.
    ///
    /// # Errors
    /// A NaN part inside a dict key.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_complex32(0.5, 0.25)?;
    /// assert_eq!(w.take_expression(), "complex(0.5, 0.25)");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn write_complex32(&mut self, re: f32, im: f32) -> Result<(), WriteError> {
        if let Some(capture) = &mut self.capture {
            capture.push(&Scalar::Complex(f64::from(re), f64::from(im)));
            return Ok(());
        }
        self.check_key_float(f64::from(re))?;
        self.check_key_float(f64::from(im))?;
        literal::push_complex32(&mut self.out, re, im);
        Ok(())
    }

    /// Write a `str` literal.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_str("it's");
    /// assert_eq!(w.take_expression(), r"'it\'s'");
    /// ```
    pub fn write_str(&mut self, v: &str) {
        if let Some(capture) = &mut self.capture {
            return capture.push(&Scalar::Str(v));
        }
        literal::push_str(&mut self.out, v);
    }

    /// Write `None`.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_none();
    /// assert_eq!(w.take_expression(), "None");
    /// ```
    pub fn write_none(&mut self) {
        if let Some(capture) = &mut self.capture {
            return capture.push(&Scalar::None);
        }
        self.out.push_str("None");
    }

    fn check_key_float(&mut self, v: f64) -> Result<(), WriteError> {
        if v.is_nan() {
            if self.key_depth > 0 {
                return Err(WriteError::new(WriteErrorKind::NanKey));
            }
            self.unhashable += 1;
        }
        Ok(())
    }
}
