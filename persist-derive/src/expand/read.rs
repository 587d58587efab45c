//! The reading half of the derived impl: `from_python` of a struct, or of the enum variant the
//! record's class stands for, one `RecordArgs` call per written field.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::record_ident;
use crate::ast::{Container, Data, Field, Variant};
use crate::attr;

/// Read a struct: its record (`Reader::record_as`, which checks that the class is the struct's:
/// its Python name or an `alias`), then its arguments field by field, then what is left.
pub(super) fn read_struct(cont: &Container, fields: &[Field]) -> TokenStream {
    let args = args_binding(fields.iter().any(Field::is_written));
    let whole = match &cont.attrs.default {
        attr::Default::None => None,
        attr::Default::Trait => {
            let span = cont
                .attrs
                .default_span
                .unwrap_or_else(proc_macro2::Span::call_site);
            Some(quote_spanned!(span=> let __default: Self = ::core::default::Default::default();))
        }
        attr::Default::Path(path) => {
            let call = quote_spanned!(path.span()=> #path());
            Some(quote!(let __default: Self = #call;))
        }
    };
    let construct = construct(&quote!(Self), fields, whole.is_some());
    let finish = finish(cont, None);
    let record = record_ident(None);
    let record_call = try_read(quote!(_persist::Reader::record_as(__reader, __value, &#record)));
    quote! {
        let #args = #record_call;
        #whole
        let __value = #construct;
        #finish
        ::core::result::Result::Ok(__value)
    }
}

/// Read an enum: the first variant whose record the class stands for, in declaration order.
/// Skipped variants are never read.
pub(super) fn read_enum(cont: &Container, variants: &[Variant]) -> TokenStream {
    let read: Vec<&Variant> = variants.iter().filter(|v| !v.attrs.skip).collect();
    let name = cont.name.value();
    let records = read.iter().map(|v| record_ident(Some(v)));
    let unknown = quote! {
        ::core::result::Result::Err(_persist::ClassRef::unknown_variant(
            &__class,
            #name,
            &[#(&#records),*],
        ))
    };
    let record_call = record_call();
    if read.is_empty() {
        return quote! {
            let (__class, _) = #record_call;
            #unknown
        };
    }
    let branches = read.iter().map(|variant| {
        let record = record_ident(Some(variant));
        let ident = variant.ident();
        let construct = construct(&quote!(Self::#ident), &variant.fields, false);
        let finish = finish(cont, Some(variant));
        quote! {
            if _persist::RecordArgs::is_record(&mut __args, &#record) {
                let __value = #construct;
                #finish
                ::core::result::Result::Ok(__value)
            }
        }
    });
    quote! {
        let (__class, mut __args) = #record_call;
        #(#branches else)* {
            #unknown
        }
    }
}

/// `let _ = Writer::field::<T>;` (or `Writer::element`) for each written field, at the start of
/// `from_python`, spanned at the field's type.
///
/// Both methods need `T: Persist` for every written field, so a field whose type lacks it would
/// be reported twice, once per method, with different notes ("required by a bound in
/// `Writer::field`", then "... in `RecordArgs::field`"). Naming the writing side's function here
/// first makes the reading method's error identical to the writing method's, which rustc reports
/// once; the reading call's own error, at the same span for the same bound, is then a duplicate
/// within its method, which rustc drops. The user sees one error, at the field.
pub(super) fn requires(cont: &Container) -> Vec<TokenStream> {
    let fields: Vec<&Field> = match &cont.data {
        Data::Struct(_, fields) => fields.iter().collect(),
        Data::Enum(variants) => variants
            .iter()
            .filter(|v| !v.attrs.skip)
            .flat_map(|v| &v.fields)
            .collect(),
    };
    fields
        .into_iter()
        .filter(|f| f.uses_persist())
        .map(|field| {
            let ty = field.ty();
            let func = match field.name {
                Some(_) => quote_spanned!(ty.span()=> _persist::Writer::field::<#ty>),
                None => quote_spanned!(ty.span()=> _persist::Writer::element::<#ty>),
            };
            quote!(let _ = #func;)
        })
        .collect()
}

/// `__args`, `mut` when some field is taken from it.
fn args_binding(takes_fields: bool) -> TokenStream {
    if takes_fields {
        quote!(mut __args)
    } else {
        quote!(__args)
    }
}

/// `Reader::record(__reader, __value)`, its error returned.
fn record_call() -> TokenStream {
    try_read(quote!(_persist::Reader::record(__reader, __value)))
}

/// `match expr { Ok(v) => v, Err(e) => return Err(e) }`: what `expr?` does in `from_python`,
/// without instantiating `?`'s conversion for each derived type.
fn try_read(expr: TokenStream) -> TokenStream {
    quote! {
        match #expr {
            ::core::result::Result::Ok(__v) => __v,
            ::core::result::Result::Err(__e) => return ::core::result::Result::Err(__e),
        }
    }
}

/// `RecordArgs::finish(__args, &__RECORD, deny_unknown_fields)?;`
fn finish(cont: &Container, variant: Option<&Variant>) -> TokenStream {
    let record = record_ident(variant);
    let deny = cont.attrs.deny_unknown_fields;
    let finish = try_read(quote!(_persist::RecordArgs::finish(__args, &#record, #deny)));
    quote!(#finish;)
}

/// `path { member: value, ... }` with every field: read from `__args` (or its default when the
/// archive lacks it), or for a skipped field its default. With `whole` (a container `default`),
/// a field without a default of its own takes the value of `__default`, the whole default.
fn construct(path: &TokenStream, fields: &[Field], whole: bool) -> TokenStream {
    let mut position = 0;
    let values = fields.iter().map(|field| {
        let member = &field.member;
        let fallback = match (&field.attrs.default, whole) {
            (attr::Default::None, true) => quote!(__default.#member),
            _ => default_value(field),
        };
        let value = if field.is_written() {
            let value = read_field(field, position, whole.then_some(&fallback));
            position += 1;
            value
        } else {
            fallback
        };
        quote!(#member: #value)
    });
    quote!(#path { #(#values,)* })
}

/// The value of the written field at `position` among the written fields: read through its
/// type's `Persist` impl, under its name (`_0`, `_1`, ... for tuple fields) or an alias.
///
/// The call is spanned at the field's type, so that a type that does not implement `Persist`
/// is reported at the field (once: see [`requires`]).
fn read_field(field: &Field, position: usize, whole: Option<&TokenStream>) -> TokenStream {
    let name = match &field.name {
        Some(name) => name.value().to_owned(),
        None => format!("_{position}"),
    };
    let aliases = field.attrs.aliases.iter().map(attr::Name::value);
    let index = Literal::usize_unsuffixed(position);
    let ty = field.ty();
    // A field without a default: `required`, which returns the missing-field error itself.
    let required = matches!((&field.attrs.default, whole), (attr::Default::None, None));
    let (plain, with) = if required {
        (quote!(required), quote!(required_with))
    } else {
        (quote!(field), quote!(field_with))
    };
    let call = match &field.attrs.with {
        Some(path) => quote_spanned! {path.span()=>
            _persist::RecordArgs::#with::<#ty>(
                &mut __args, __reader, #index, #name, &[#(#aliases),*], #path::from_python,
            )
        },
        None => {
            let func = quote_spanned!(ty.span()=> _persist::RecordArgs::#plain::<#ty>);
            quote!(#func(&mut __args, __reader, #index, #name, &[#(#aliases),*]))
        }
    };
    // `match`es rather than `?`: each `?` on a `Result<T, _>` instantiates the `Try` glue for
    // that `T`, in every derived type.
    if required {
        return try_read(call);
    }
    let missing = match whole {
        Some(whole) if matches!(field.attrs.default, attr::Default::None) => whole.clone(),
        _ => default_value(field),
    };
    quote! {
        match #call {
            ::core::result::Result::Ok(::core::option::Option::Some(__v)) => __v,
            ::core::result::Result::Ok(::core::option::Option::None) => #missing,
            ::core::result::Result::Err(__e) => return ::core::result::Result::Err(__e),
        }
    }
}

/// What fills a field the archive does not hold: `default = "path"` called, or else
/// `Default::default()`.
///
/// The call of the path is spanned at the string and given the field's type, so that a function
/// of another type is reported there, "expected due to" the field's type. `Default::default()`
/// is spanned at the field's type, so that a type without `Default` is reported at the field.
pub(super) fn default_value(field: &Field) -> TokenStream {
    match &field.attrs.default {
        attr::Default::Path(path) => {
            let ty = field.ty();
            let call = quote_spanned!(path.span()=> #path());
            quote!({
                let __default: #ty = #call;
                __default
            })
        }
        attr::Default::None | attr::Default::Trait => {
            quote_spanned!(field.ty().span()=> ::core::default::Default::default())
        }
    }
}
