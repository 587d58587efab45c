//! The writing half of the derived impl: `to_python_source` of a struct or of each enum
//! variant, one `Writer` call per written field.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use super::record_ident;
use crate::ast::{Container, Field, Style, Variant};

pub(super) fn write_struct(style: Style, fields: &[Field]) -> TokenStream {
    let bindings = Bindings::new(style, fields);
    let destructure = (!bindings.written.is_empty()).then(|| {
        let pattern = bindings.pattern();
        quote!(let Self #pattern = self;)
    });
    let record = record_ident(None);
    let writes = bindings.writes();
    quote! {
        #destructure
        __out.begin_record(&#record)?;
        #(#writes)*
        __out.end_record()
    }
}

pub(super) fn write_enum(cont: &Container, variants: &[Variant]) -> TokenStream {
    if variants.is_empty() {
        return quote!(match *self {});
    }
    let arms = variants.iter().map(|variant| write_variant(cont, variant));
    quote! {
        match self {
            #(#arms)*
        }
    }
}

/// One arm of the `match self`: bind the written fields, then write the variant's record.
fn write_variant(cont: &Container, variant: &Variant) -> TokenStream {
    let ident = variant.ident();
    if variant.attrs.skip {
        return skipped_variant_arm(cont, variant);
    }
    let bindings = Bindings::new(variant.style, &variant.fields);
    let pattern = bindings.pattern();
    let record = record_ident(Some(variant));
    let writes = bindings.writes();
    quote! {
        Self::#ident #pattern => {
            __out.begin_record(&#record)?;
            #(#writes)*
            __out.end_record()
        }
    }
}

/// The arm of `match self` for a variant marked `skip`: writing it is an error naming it.
pub(super) fn skipped_variant_arm(cont: &Container, variant: &Variant) -> TokenStream {
    let ident = variant.ident();
    let message = format!(
        "variant `{}::{}` is marked `#[persist(skip)]` and cannot be archived",
        cont.ident().unraw(),
        ident.unraw()
    );
    quote! {
        Self::#ident { .. } => ::core::result::Result::Err(
            _persist::WriteError::custom(#message),
        ),
    }
}

/// The written fields of a struct or variant, each bound to a local `__fieldN` (N its position)
/// by destructuring `self`.
///
/// Each binding is spanned at its field's type, in the pattern and where it is used alike (so it
/// resolves whatever macro the field comes from): the argument of the `Writer` call then points
/// at the field, and so does the error for a type that does not implement `Persist`.
struct Bindings<'f, 'a> {
    style: Style,
    /// How many fields there are, written or not.
    len: usize,
    written: Vec<(&'f Field<'a>, syn::Ident)>,
}

impl<'f, 'a> Bindings<'f, 'a> {
    fn new(style: Style, fields: &'f [Field<'a>]) -> Self {
        let written = fields
            .iter()
            .enumerate()
            .filter(|(_, field)| field.is_written())
            .map(|(i, field)| {
                let binding = format_ident!("__field{}", i, span = field.ty().span());
                (field, binding)
            })
            .collect();
        Bindings {
            style,
            len: fields.len(),
            written,
        }
    }

    /// `{ a: __field0, 2: __field2, .. }`: braces fit named, tuple and unit shapes alike.
    fn pattern(&self) -> TokenStream {
        let bindings = self.written.iter().map(|(field, binding)| {
            let member = &field.member;
            quote!(#member: #binding)
        });
        let rest = (self.style == Style::Unit || self.written.len() < self.len).then(|| quote!(..));
        quote!({ #(#bindings,)* #rest })
    }

    /// `Writer::field(__out, "name", __field0)?;` or `Writer::element(__out, __field0)?;` for each
    /// written field, in order.
    fn writes(&self) -> Vec<TokenStream> {
        self.written
            .iter()
            .map(|(field, binding)| {
                let span = field.ty().span();
                let binding = match &field.attrs.with {
                    Some(path) => quote_spanned! {path.span()=>
                        &_persist::__private::WriteWith(#binding, #path::to_python_source)
                    },
                    None => quote!(#binding),
                };
                match &field.name {
                    Some(name) => {
                        let name = name.value();
                        let func = quote_spanned!(span=> _persist::Writer::field);
                        quote!(#func(__out, #name, #binding)?;)
                    }
                    None => {
                        let func = quote_spanned!(span=> _persist::Writer::element);
                        quote!(#func(__out, #binding)?;)
                    }
                }
            })
            .collect()
    }
}
