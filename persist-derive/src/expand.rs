//! Code generation: the `impl Persist` for a checked [`Container`], writing (`to_python_source`)
//! and reading (`from_python`).
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
use crate::attr::{self, CratePath, PythonClass};
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
            read_struct(cont, fields),
        ),
        Data::Enum(variants) => (
            variants
                .iter()
                .filter(|v| !v.attrs.skip)
                .map(|v| record_static(cont, Some(v), v.style, &v.fields, v.attrs.python.as_ref()))
                .collect(),
            write_enum(cont, variants),
            read_enum(cont, variants),
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

fn write_struct(style: Style, fields: &[Field]) -> TokenStream {
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

fn write_enum(cont: &Container, variants: &[Variant]) -> TokenStream {
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
fn skipped_variant_arm(cont: &Container, variant: &Variant) -> TokenStream {
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

/// Read a struct: take its record's arguments field by field, then check what is left.
///
/// The class is not compared: a struct's record stands for the struct whatever its Python name,
/// so that renaming the Rust type (or its `rename`, or its `python` class) does not break old
/// archives.
fn read_struct(cont: &Container, fields: &[Field]) -> TokenStream {
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
    let record_call = record_call();
    quote! {
        let (_, #args) = #record_call;
        #whole
        let __value = #construct;
        #finish
        ::core::result::Result::Ok(__value)
    }
}

/// Read an enum: the first variant whose record the class stands for, in declaration order.
/// Skipped variants are never read.
fn read_enum(cont: &Container, variants: &[Variant]) -> TokenStream {
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
    let args = args_binding(read.iter().flat_map(|v| &v.fields).any(Field::is_written));
    let branches = read.iter().map(|variant| {
        let record = record_ident(Some(variant));
        let ident = variant.ident();
        let construct = construct(&quote!(Self::#ident), &variant.fields, false);
        let finish = finish(cont, Some(variant));
        quote! {
            if _persist::ClassRef::is(&__class, &#record) {
                let __value = #construct;
                #finish
                ::core::result::Result::Ok(__value)
            }
        }
    });
    quote! {
        let (__class, #args) = #record_call;
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
fn requires(cont: &Container) -> Vec<TokenStream> {
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
fn default_value(field: &Field) -> TokenStream {
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
    quote! {
        static #ident: _persist::Record = _persist::Record::new(
            ::core::concat!(::core::module_path!(), "::", #rust),
            #name,
            #kind,
        )#variant #python;
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
