//! Code generation: the `impl Persist` for a checked [`Container`], writing (`to_python_source`,
//! generated in `write`) and reading (`from_python`, in `read`); this file assembles the impl
//! and the parts both use (the record descriptions, `column`, transparent and `repr` types).
//!
//! The expansion sits in `const _: () = { ... };`, reaches the runtime crate through the one
//! alias `_persist` and everything else through absolute paths, so that names the user defines
//! (`Result`, `Some`, `Vec`, ...) cannot change its meaning. Its own names (the `static` record
//! descriptions, locals and bindings) start with `__`, a prefix user code leaves alone.
//!
//! ```text
//! const _: () = {
//!     use ::persist_core as _persist;
//!     static __RECORD: _persist::Record = _persist::Record::new("m::Params", "Params", ...);
//!     #[automatically_derived]
//!     impl _persist::Persist for Params {
//!         fn to_python_source(&self, __out: &mut _persist::Writer) -> Result<(), WriteError> {
//!             let Self { alpha: __field0, .. } = self;
//!             __out.begin_record(&__RECORD)?;
//!             _persist::Writer::field(__out, "alpha", __field0)?;
//!             __out.end_record()
//!         }
//!         // (each `?` of this `from_python` is written as a `match`: see `try_read`)
//!         fn from_python<'__m>(
//!             __value: Value<'__m>,
//!             __reader: &mut Reader<'__m>,
//!         ) -> Result<Self, ReadError> {
//!             let _ = _persist::Writer::field::<f64>; // see `requires`
//!             let (_, mut __args) = _persist::Reader::record(__reader, __value)?;
//!             let __value = Self {
//!                 alpha: RecordArgs::required::<f64>(&mut __args, __reader, 0, "alpha", &[])?,
//!                 cache: Default::default(),
//!             };
//!             _persist::RecordArgs::finish(__args, &__RECORD, false)?;
//!             Ok(__value)
//!         }
//!     }
//! };
//! ```

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use crate::ast::{Container, Data, Field, Style, Variant};
use crate::attr::{CratePath, PythonClass};
use crate::bound;
use crate::check;
use crate::ctxt::Ctxt;

mod read;
mod write;

use read::{default_value, read_enum, read_struct, requires};
use write::{skipped_variant_arm, write_enum, write_struct};

/// The whole derive: read and check the input, then generate the impl, or on error the errors
/// and a stub impl (so that uses of the type do not add errors of their own).
pub fn derive_persist(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, input);
    if let Some(cont) = &cont {
        check::check(&cx, cont);
    }
    match (cx.check(), cont) {
        (Ok(()), Some(cont)) => expand_impl(&cont),
        (result, cont) => {
            let errors = result.err().map(|err| err.to_compile_error());
            let crate_path = cont.map_or(CratePath::Default, |cont| cont.attrs.crate_path);
            let stub = stub_impl(input, &crate_path);
            quote!(#errors #stub)
        }
    }
}

/// `use <the runtime crate> as _persist;`, or nothing when `crate = ...` was not a path (then
/// no code can name the crate, and trying would add an error of its own).
fn use_runtime(crate_path: &CratePath) -> Option<TokenStream> {
    match crate_path {
        CratePath::Default => Some(quote!(
            use ::persist_core as _persist;
        )),
        CratePath::Given(path) => Some(quote!(use #path as _persist;)),
        CratePath::Invalid => None,
    }
}

/// The alias through which the expansion names the runtime crate.
fn runtime_alias() -> syn::Path {
    syn::parse_quote!(_persist)
}

/// An impl that only satisfies the type checker, emitted beside the errors.
fn stub_impl(input: &syn::DeriveInput, crate_path: &CratePath) -> Option<TokenStream> {
    let use_runtime = use_runtime(crate_path)?;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Some(quote! {
        const _: () = {
            #use_runtime
            #[automatically_derived]
            impl #impl_generics _persist::Persist for #ident #ty_generics #where_clause {
                fn to_python_source(
                    &self,
                    __out: &mut _persist::Writer,
                ) -> ::core::result::Result<(), _persist::WriteError> {
                    ::core::unimplemented!("#[derive(Persist)] failed; see the compile errors")
                }
            }
        };
    })
}

/// The parts of the generated impl: the `static` record descriptions, the bodies of
/// `to_python_source` and `from_python`, and `fn column()` if the type has one of its own.
struct Parts {
    statics: Vec<TokenStream>,
    write: TokenStream,
    read: TokenStream,
    column: Option<TokenStream>,
}

fn expand_impl(cont: &Container) -> TokenStream {
    let Some(use_runtime) = use_runtime(&cont.attrs.crate_path) else {
        // An invalid `crate` attribute is an error, so this is not reached.
        return TokenStream::new();
    };
    let ident = cont.ident();
    let generics = bound::with_bounds(cont, &runtime_alias());
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let parts = match (&cont.data, cont.attrs.transparent, cont.attrs.repr_str) {
        (_, Some(_), _) => {
            let (write, read, column) = transparent(cont);
            Parts {
                statics: Vec::new(),
                write,
                read,
                column,
            }
        }
        (Data::Enum(variants), None, Some(_)) => {
            let (write, read) = repr_str(cont, variants);
            Parts {
                statics: Vec::new(),
                write,
                read,
                column: Some(quote! {
                    fn column() -> ::core::option::Option<_persist::Column> {
                        <::std::string::String as _persist::Persist>::column()
                    }
                }),
            }
        }
        _ => derived(cont),
    };
    let Parts {
        statics,
        write,
        read,
        column,
    } = parts;
    // `write_only`: reading is one refusal naming the type, none of the reading code.
    let read = match cont.attrs.write_only {
        None => read,
        Some(span) => quote_spanned! {span=>
            let _ = __reader;
            ::core::result::Result::Err(_persist::ReadError::new(
                _persist::ReadErrorKind::WriteOnly(::core::any::type_name::<Self>()),
                __value.pos(),
            ))
        },
    };
    quote! {
        const _: () = {
            #use_runtime
            #(#statics)*
            #[automatically_derived]
            impl #impl_generics _persist::Persist for #ident #ty_generics #where_clause {
                fn to_python_source(
                    &self,
                    __out: &mut _persist::Writer,
                ) -> ::core::result::Result<(), _persist::WriteError> {
                    #write
                }

                fn from_python<'__m>(
                    __value: _persist::Value<'__m>,
                    __reader: &mut _persist::Reader<'__m>,
                ) -> ::core::result::Result<Self, _persist::ReadError> {
                    #read
                }

                #column
            }
        };
    }
}

/// The parts of a record type's impl (with `from`/`try_from`/`into` where given).
fn derived(cont: &Container) -> Parts {
    // A `write_only` type's reading code is not generated at all (`expand_impl` puts a refusal
    // in its place): less for the compiler to parse and check.
    let reads = cont.attrs.write_only.is_none();
    let (statics, write, read) = match &cont.data {
        Data::Struct(style, fields) => (
            vec![record_static(
                cont,
                None,
                *style,
                fields,
                cont.attrs.python.as_ref(),
            )],
            write_struct(*style, fields),
            if reads {
                read_struct(cont, fields)
            } else {
                TokenStream::new()
            },
        ),
        Data::Enum(variants) => (
            variants
                .iter()
                .filter(|v| !v.attrs.skip)
                .map(|v| record_static(cont, Some(v), v.style, &v.fields, v.attrs.python.as_ref()))
                .collect(),
            write_enum(cont, variants),
            if reads {
                read_enum(cont, variants)
            } else {
                TokenStream::new()
            },
        ),
    };
    let attrs = &cont.attrs;
    let derived_read = attrs.from.is_none() && attrs.try_from.is_none();
    let requires = if derived_read {
        requires(cont)
    } else {
        Vec::new()
    };
    let (write, column) = match &attrs.into {
        Some(into) => {
            let ty = &into.ty;
            let write = quote_spanned! {into.span=>
                let __into: #ty = ::core::convert::Into::into(::core::clone::Clone::clone(self));
                _persist::Persist::to_python_source(&__into, __out)
            };
            let column = quote_spanned! {into.span=>
                fn column() -> ::core::option::Option<_persist::Column> {
                    <#ty as _persist::Persist>::column()
                }
            };
            (write, Some(column))
        }
        None => (write, column_fn(cont, &requires)),
    };
    let read = match (&attrs.from, &attrs.try_from) {
        (Some(from), _) => {
            let ty = &from.ty;
            quote_spanned! {from.span=>
                <#ty as _persist::Persist>::from_python(__value, __reader)
                    .map(<Self as ::core::convert::From<#ty>>::from)
            }
        }
        (None, Some(try_from)) => {
            let ty = &try_from.ty;
            quote_spanned! {try_from.span=>
                let __converted = <#ty as _persist::Persist>::from_python(__value, __reader)?;
                <Self as ::core::convert::TryFrom<#ty>>::try_from(__converted).map_err(|__e| {
                    _persist::ReadError::custom(__e, _persist::Value::pos(&__value))
                })
            }
        }
        (None, None) => read,
    };
    // Converted both ways, the records describing the type's own fields are never used.
    let statics = if cont.converts_both_ways() {
        Vec::new()
    } else {
        statics
    };
    Parts {
        statics,
        write,
        read: quote! {
            #(#requires)*
            #read
        },
        column,
    }
}

/// `fn column()` for a struct with named fields: a record table column when every written
/// field's type is a column (decided at run time through each field type's own `column`).
/// Other shapes keep the trait's default (no column). The `requires` lines come first for the
/// same reason as in `from_python`: a field type without `Persist` is reported once.
fn column_fn(cont: &Container, requires: &[TokenStream]) -> Option<TokenStream> {
    let Data::Struct(Style::Struct, fields) = &cont.data else {
        return None;
    };
    let record = record_ident(None);
    let written: Vec<&Field> = fields.iter().filter(|f| f.is_written()).collect();
    if written.iter().any(|field| field.attrs.with.is_some()) {
        // What a `with` module writes is unknown here: no column, no table.
        return Some(quote! {
            fn column() -> ::core::option::Option<_persist::Column> {
                #(#requires)*
                ::core::option::Option::None
            }
        });
    }
    // The field types' `column` functions as a constant slice: one call in each type's code.
    let columns = written.iter().map(|field| {
        let ty = field.ty();
        quote_spanned!(ty.span()=> <#ty as _persist::Persist>::column)
    });
    Some(quote! {
        fn column() -> ::core::option::Option<_persist::Column> {
            #(#requires)*
            _persist::Column::record_of(&#record, &[#(#columns),*])
        }
    })
}

/// The name of the `static` describing the struct (`__RECORD`) or a variant (`__RECORD_2`, by
/// the variant's position, which is unique and needs no case conversion).
fn record_ident(variant: Option<&Variant>) -> syn::Ident {
    match variant {
        Some(variant) => format_ident!("__RECORD_{}", variant.index),
        None => format_ident!("__RECORD"),
    }
}

/// `static __RECORD: Record = ...;`: the description of the struct or one variant, shared by
/// writing and reading.
fn record_static(
    cont: &Container,
    variant: Option<&Variant>,
    style: Style,
    fields: &[Field],
    python: Option<&PythonClass>,
) -> TokenStream {
    let ident = record_ident(variant);
    let rust = cont.ident().unraw().to_string();
    let name = cont.name.value();
    let variant = variant.map(|variant| {
        let name = variant.name.value();
        quote!(.variant(#name))
    });
    let written = fields.iter().filter(|f| f.is_written());
    let kind = match style {
        Style::Struct => {
            let names = written.filter_map(|f| f.name.as_ref().map(|n| n.value()));
            quote!(_persist::RecordKind::Named(&[#(#names),*]))
        }
        Style::Tuple => {
            let n = Literal::usize_unsuffixed(written.count());
            quote!(_persist::RecordKind::Tuple(#n))
        }
        Style::Unit => quote!(_persist::RecordKind::Unit),
    };
    let python = python.map(|python| {
        let value = &python.value;
        quote!(.python(#value))
    });
    let aliases = (!cont.attrs.aliases.is_empty()).then(|| {
        let names = cont.attrs.aliases.iter().map(|a| a.value());
        quote!(.aliases(&[#(#names),*]))
    });
    quote! {
        static #ident: _persist::Record = _persist::Record::new(
            ::core::concat!(::core::module_path!(), "::", #rust),
            #name,
            #kind,
        )#variant #python #aliases;
    }
}

/// A `transparent` struct: written and read as its one written field (through its type's
/// `Persist`, or its `with` module), its column that field's; skipped fields get their defaults.
fn transparent(cont: &Container) -> (TokenStream, TokenStream, Option<TokenStream>) {
    let Data::Struct(_, fields) = &cont.data else {
        // `check_transparent` reports a transparent enum.
        return (TokenStream::new(), TokenStream::new(), None);
    };
    let Some(field) = fields.iter().find(|f| f.is_written()) else {
        return (TokenStream::new(), TokenStream::new(), None);
    };
    let member = &field.member;
    let ty = field.ty();
    let values = fields.iter().map(|f| {
        let member = &f.member;
        if f.is_written() {
            quote!(#member: __inner)
        } else {
            let value = default_value(f);
            quote!(#member: #value)
        }
    });
    let construct = quote!(::core::result::Result::Ok(Self { #(#values,)* }));
    match &field.attrs.with {
        Some(path) => (
            quote_spanned!(path.span()=> #path::to_python_source(&self.#member, __out)),
            quote! {
                let __inner: #ty = #path::from_python(__value, __reader)?;
                #construct
            },
            None,
        ),
        None => (
            quote_spanned!(ty.span()=> <#ty as _persist::Persist>::to_python_source(&self.#member, __out)),
            quote! {
                let __inner = <#ty as _persist::Persist>::from_python(__value, __reader)?;
                #construct
            },
            Some(quote! {
                fn column() -> ::core::option::Option<_persist::Column> {
                    <#ty as _persist::Persist>::column()
                }
            }),
        ),
    }
}

/// `repr = "str"`: each variant written as its name, read back from it; a skipped variant is
/// an error to write and never read.
fn repr_str(cont: &Container, variants: &[Variant]) -> (TokenStream, TokenStream) {
    if variants.is_empty() {
        return (
            quote!(match *self {}),
            quote! {
                ::core::result::Result::Err(_persist::ReadError::custom(
                    "an enum without variants has no value",
                    _persist::Value::pos(&__value),
                ))
            },
        );
    }
    let arms = variants.iter().map(|variant| {
        let ident = variant.ident();
        if variant.attrs.skip {
            return skipped_variant_arm(cont, variant);
        }
        let name = variant.name.value();
        quote!(Self::#ident => <str as _persist::Persist>::to_python_source(#name, __out),)
    });
    let read: Vec<&Variant> = variants.iter().filter(|v| !v.attrs.skip).collect();
    let names: Vec<&str> = read.iter().map(|v| v.name.value()).collect();
    let idents = read.iter().map(|v| v.ident());
    let expected = names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let enum_name = cont.name.value();
    let write = quote! {
        match self {
            #(#arms)*
        }
    };
    let read = quote! {
        let __name = _persist::Reader::str(__reader, __value)?;
        match __name {
            #(#names => ::core::result::Result::Ok(Self::#idents),)*
            __other => ::core::result::Result::Err(_persist::ReadError::custom(
                ::core::format_args!(
                    "{:?} is not a variant of {}; expected one of {}",
                    __other, #enum_name, #expected
                ),
                _persist::Value::pos(&__value),
            )),
        }
    };
    (write, read)
}
