//! Code generation: the `impl Persist` for a checked [`Container`].
//!
//! The expansion sits in `const _: () = { ... };`, reaches the runtime crate through the one
//! alias `_persist` and everything else through absolute paths, so that names the user defines
//! (`Result`, `Some`, `Vec`, ...) cannot change its meaning.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use crate::ast::{Container, Data, Field, Style, Variant};
use crate::attr::{CratePath, PythonClass};
use crate::bound;
use crate::check;
use crate::ctxt::Ctxt;

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
                    _out: &mut _persist::Writer,
                ) -> ::core::result::Result<(), _persist::WriteError> {
                    ::core::unimplemented!("#[derive(Persist)] failed; see the compile errors")
                }
            }
        };
    })
}

fn expand_impl(cont: &Container) -> TokenStream {
    let Some(use_runtime) = use_runtime(&cont.attrs.crate_path) else {
        // An invalid `crate` attribute is an error, so this is not reached.
        return TokenStream::new();
    };
    let ident = cont.ident();
    let generics = bound::with_persist_bounds(cont, &runtime_alias());
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let (body, writes) = match &cont.data {
        Data::Struct(style, fields) => (expand_struct(cont, *style, fields), true),
        Data::Enum(variants) => (
            expand_enum(cont, variants),
            variants.iter().any(|v| !v.attrs.skip),
        ),
    };
    // The writer goes unused when no variant can be written; say so, or `deny(warnings)` fails.
    let out = if writes {
        format_ident!("out")
    } else {
        format_ident!("_out")
    };
    quote! {
        const _: () = {
            #use_runtime
            #[automatically_derived]
            impl #impl_generics _persist::Persist for #ident #ty_generics #where_clause {
                fn to_python_source(
                    &self,
                    #out: &mut _persist::Writer,
                ) -> ::core::result::Result<(), _persist::WriteError> {
                    #body
                }
            }
        };
    }
}

fn expand_struct(cont: &Container, style: Style, fields: &[Field]) -> TokenStream {
    let bindings = Bindings::new(style, fields);
    let destructure = (!bindings.written.is_empty()).then(|| {
        let pattern = bindings.pattern();
        quote!(let Self #pattern = self;)
    });
    let record = record_static(cont, None, style, fields, cont.attrs.python.as_ref());
    let writes = bindings.writes();
    quote! {
        #destructure
        #record
        out.begin_record(&RECORD)?;
        #(#writes)*
        out.end_record()
    }
}

fn expand_enum(cont: &Container, variants: &[Variant]) -> TokenStream {
    if variants.is_empty() {
        return quote!(match *self {});
    }
    let arms = variants.iter().map(|variant| expand_variant(cont, variant));
    quote! {
        match self {
            #(#arms)*
        }
    }
}

/// One arm of the `match self`: bind the written fields, then write the variant's record.
fn expand_variant(cont: &Container, variant: &Variant) -> TokenStream {
    let ident = variant.ident();
    if variant.attrs.skip {
        let message = format!(
            "variant `{}::{}` is marked `#[persist(skip)]` and cannot be archived",
            cont.ident().unraw(),
            ident.unraw()
        );
        return quote! {
            Self::#ident { .. } => ::core::result::Result::Err(
                _persist::WriteError::custom(#message),
            ),
        };
    }
    let bindings = Bindings::new(variant.style, &variant.fields);
    let pattern = bindings.pattern();
    let record = record_static(
        cont,
        Some(variant),
        variant.style,
        &variant.fields,
        variant.attrs.python.as_ref(),
    );
    let writes = bindings.writes();
    quote! {
        Self::#ident #pattern => {
            #record
            out.begin_record(&RECORD)?;
            #(#writes)*
            out.end_record()
        }
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

    /// `Writer::field(out, "name", __field0)?;` or `Writer::element(out, __field0)?;` for each
    /// written field, in order.
    fn writes(&self) -> Vec<TokenStream> {
        self.written
            .iter()
            .map(|(field, binding)| {
                let span = field.ty().span();
                match &field.name {
                    Some(name) => {
                        let name = name.value();
                        let func = quote_spanned!(span=> _persist::Writer::field);
                        quote!(#func(out, #name, #binding)?;)
                    }
                    None => {
                        let func = quote_spanned!(span=> _persist::Writer::element);
                        quote!(#func(out, #binding)?;)
                    }
                }
            })
            .collect()
    }
}

/// `static RECORD: Record = ...;`: the description of one struct or variant.
fn record_static(
    cont: &Container,
    variant: Option<&Variant>,
    style: Style,
    fields: &[Field],
    python: Option<&PythonClass>,
) -> TokenStream {
    let rust = cont.ident().unraw().to_string();
    let name = cont.name.value();
    let variant = match variant {
        Some(variant) => {
            let name = variant.name.value();
            quote!(::core::option::Option::Some(#name))
        }
        None => quote!(::core::option::Option::None),
    };
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
    let python = match python {
        Some(python) => {
            let value = &python.value;
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        static RECORD: _persist::Record = _persist::Record {
            rust: ::core::concat!(::core::module_path!(), "::", #rust),
            name: #name,
            variant: #variant,
            kind: #kind,
            python: #python,
        };
    }
}
