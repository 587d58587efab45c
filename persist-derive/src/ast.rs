//! The derive's model of its input: the container, its variants and fields, each with its parsed
//! attributes, its final Python name and the `syn` node it came from (for error spans).

use proc_macro2::Span;

use crate::attr::{self, Name};
use crate::ctxt::Ctxt;

/// The struct or enum the derive is applied to.
pub struct Container<'a> {
    /// The input as `syn` parsed it.
    pub original: &'a syn::DeriveInput,
    /// The name Python shows: the type's name or its `rename`.
    pub name: Name,
    /// Its `#[persist(...)]` attributes.
    pub attrs: attr::Container,
    /// Its variants or fields.
    pub data: Data<'a>,
}

/// The body of a struct or enum.
pub enum Data<'a> {
    /// An enum's variants, in declaration order.
    Enum(Vec<Variant<'a>>),
    /// A struct's fields, in declaration order.
    Struct(Style, Vec<Field<'a>>),
}

/// One variant of an enum.
pub struct Variant<'a> {
    /// The variant as `syn` parsed it.
    pub original: &'a syn::Variant,
    /// Its position among the enum's variants.
    pub index: usize,
    /// The name Python shows: the variant's name or its `rename`.
    pub name: Name,
    /// Its `#[persist(...)]` attributes.
    pub attrs: attr::Variant,
    /// How its fields are written.
    pub style: Style,
    /// Its fields, in declaration order.
    pub fields: Vec<Field<'a>>,
}

/// One field of a struct or variant.
pub struct Field<'a> {
    /// The field as `syn` parsed it.
    pub original: &'a syn::Field,
    /// `name` or `0`: how Rust reaches the field.
    pub member: syn::Member,
    /// For a named field, the name Python shows: the field's name or its `rename`. Tuple fields
    /// have no name (Python numbers them).
    pub name: Option<Name>,
    /// Its `#[persist(...)]` attributes.
    pub attrs: attr::Field,
}

/// How the fields of a struct or variant are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `{ a: A, b: B }`, possibly empty.
    Struct,
    /// `(A, B)`, possibly empty.
    Tuple,
    /// No fields at all.
    Unit,
}

impl<'a> Container<'a> {
    /// Build the model, recording in `cx` every problem with the attributes. `None` for input
    /// the derive cannot handle at all (unions), after recording why.
    pub fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_ast(cx, input);
        let data = match &input.data {
            syn::Data::Enum(data) => Data::Enum(
                data.variants
                    .iter()
                    .enumerate()
                    .map(|(index, variant)| {
                        Variant::from_ast(cx, index, variant, attrs.rename_all.as_ref())
                    })
                    .collect(),
            ),
            syn::Data::Struct(data) => {
                let (style, fields) = fields_from_ast(cx, &data.fields, attrs.rename_all.as_ref());
                Data::Struct(style, fields)
            }
            syn::Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "unions are not supported by #[derive(Persist)]; use a struct or an enum, \
                     or implement Persist by hand",
                );
                return None;
            }
        };
        let name = attrs
            .rename
            .clone()
            .unwrap_or_else(|| Name::from_ident(&input.ident));
        Some(Container {
            original: input,
            name,
            attrs,
            data,
        })
    }

    /// The Rust name of the type.
    pub fn ident(&self) -> &'a syn::Ident {
        &self.original.ident
    }

    /// The generic parameters and where clause, as written.
    pub fn generics(&self) -> &'a syn::Generics {
        &self.original.generics
    }

    /// Whether `into` and `from` (or `try_from`) replace both writing and reading, so that no
    /// field is written or read by the derived code.
    pub fn converts_both_ways(&self) -> bool {
        self.attrs.into.is_some() && (self.attrs.from.is_some() || self.attrs.try_from.is_some())
    }
}

impl<'a> Variant<'a> {
    fn from_ast(
        cx: &Ctxt,
        index: usize,
        variant: &'a syn::Variant,
        rule: Option<&attr::RenameRule>,
    ) -> Self {
        let attrs = attr::Variant::from_ast(cx, variant);
        let name = attrs.rename.clone().unwrap_or_else(|| match rule {
            Some(rule) => Name::from_rule(&variant.ident, rule),
            None => Name::from_ident(&variant.ident),
        });
        // An enum's `rename_all` renames its variants, not their fields (as in serde).
        let (style, fields) = fields_from_ast(cx, &variant.fields, None);
        Variant {
            original: variant,
            index,
            name,
            attrs,
            style,
            fields,
        }
    }

    /// The Rust name of the variant.
    pub fn ident(&self) -> &'a syn::Ident {
        &self.original.ident
    }
}

impl<'a> Field<'a> {
    /// The field's type.
    pub fn ty(&self) -> &'a syn::Type {
        &self.original.ty
    }

    /// Whether the field is written to Python and read back from it (it is not skipped).
    pub fn is_written(&self) -> bool {
        !self.attrs.skip
    }

    /// Whether the field's own `Persist` impl writes and reads it (not a `with` module).
    pub fn uses_persist(&self) -> bool {
        self.is_written() && self.attrs.with.is_none()
    }

    /// Whether reading may fill the field with `Default::default()`: it is skipped without a
    /// `default = "path"`, or it has a bare `default`.
    pub fn uses_default_trait(&self) -> bool {
        match self.attrs.default {
            attr::Default::Trait => true,
            attr::Default::None => self.attrs.skip,
            attr::Default::Path(_) => false,
        }
    }
}

fn fields_from_ast<'a>(
    cx: &Ctxt,
    fields: &'a syn::Fields,
    rule: Option<&attr::RenameRule>,
) -> (Style, Vec<Field<'a>>) {
    let style = match fields {
        syn::Fields::Named(_) => Style::Struct,
        syn::Fields::Unnamed(_) => Style::Tuple,
        syn::Fields::Unit => Style::Unit,
    };
    let fields = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let attrs = attr::Field::from_ast(cx, field);
            let (member, name) = match &field.ident {
                Some(ident) => {
                    let name = attrs.rename.clone().unwrap_or_else(|| match rule {
                        Some(rule) => Name::from_rule(ident, rule),
                        None => Name::from_ident(ident),
                    });
                    (syn::Member::Named(ident.clone()), Some(name))
                }
                None => {
                    let index = syn::Index {
                        index: u32::try_from(index).unwrap_or(u32::MAX),
                        span: Span::call_site(),
                    };
                    (syn::Member::Unnamed(index), None)
                }
            };
            Field {
                original: field,
                member,
                name,
                attrs,
            }
        })
        .collect();
    (style, fields)
}
