//! [`Ctxt`]: the collector of the derive's errors.

use std::cell::RefCell;
use std::fmt::Display;
use std::thread;

use proc_macro2::Span;
use quote::ToTokens;

/// Collects every error found while reading the input, so that the user sees all their mistakes
/// at once, each at its own token.
///
/// It cannot be forgotten: dropping it without calling [`check`](Ctxt::check) panics, so a code
/// path that records errors and then generates code as if nothing happened is caught in the
/// derive's own tests rather than by users.
pub struct Ctxt {
    /// `None` once [`check`](Ctxt::check) has taken the errors.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    /// An empty collector.
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Record an error spanning the tokens of `obj` (all of them, first to last).
    pub fn error_spanned_by<A: ToTokens, T: Display>(&self, obj: A, msg: T) {
        self.syn_error(syn::Error::new_spanned(obj.into_token_stream(), msg));
    }

    /// Record an error at one span.
    pub fn error_at<T: Display>(&self, span: Span, msg: T) {
        self.syn_error(syn::Error::new(span, msg));
    }

    /// Record an error produced by `syn`'s own parsers.
    pub fn syn_error(&self, err: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("persist-derive: Ctxt used after check()")
            .push(err);
    }

    /// Consume the collector: `Ok` when nothing was recorded, else all errors combined into one
    /// (which expands to one `compile_error!` per error, each at its own span).
    pub fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut iter = errors.into_iter();
        let Some(mut combined) = iter.next() else {
            return Ok(());
        };
        for err in iter {
            combined.combine(err);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !thread::panicking() && self.errors.borrow().is_some() {
            panic!("persist-derive: Ctxt dropped without calling check()");
        }
    }
}
