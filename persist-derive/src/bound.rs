//! The generics of the derived impl: the user's, plus a `Persist` bound for each type parameter
//! that a written field uses, and a `Default` bound for each type parameter that a field filled
//! by `Default::default()` on reading uses (as serde does).
//!
//! A parameter used only by skipped fields (or not at all, like a marker) gets no `Persist`
//! bound, so `struct Cache<T> { #[persist(skip)] memo: Vec<T>, hits: u64 }` is `Persist` for
//! every `T: Default`; `#[persist(skip, default = "path")]` drops that bound too. An associated
//! type used in a field (`T::Item`) is bounded itself, since that is what is written or filled.

use std::collections::HashSet;

use crate::ast::{Container, Data, Field};

/// The container's generics with the bounds above added to the where clause. `persist` is the
/// path of the runtime crate as the generated code spells it.
pub fn with_bounds(cont: &Container, persist: &syn::Path) -> syn::Generics {
    let mut generics = cont.generics().clone();
    let params: HashSet<syn::Ident> = generics.type_params().map(|p| p.ident.clone()).collect();
    if params.is_empty() {
        return generics;
    }
    let persist_bound: syn::Path = syn::parse_quote!(#persist::Persist);
    let default_bound: syn::Path = syn::parse_quote!(::core::default::Default);
    let mut predicates = bounds(
        &generics,
        &params,
        read_fields(cont).filter(|f| f.is_written()),
        &persist_bound,
    );
    predicates.extend(bounds(
        &generics,
        &params,
        read_fields(cont).filter(|f| f.uses_default_trait()),
        &default_bound,
    ));
    generics.make_where_clause().predicates.extend(predicates);
    generics
}

/// `P: bound` for each type parameter `P` the types of `fields` use, and `P::Assoc: bound` for
/// each associated type they use.
fn bounds<'c, 'a: 'c>(
    generics: &syn::Generics,
    params: &HashSet<syn::Ident>,
    fields: impl Iterator<Item = &'c Field<'a>>,
    bound: &syn::Path,
) -> Vec<syn::WherePredicate> {
    let mut usage = Usage {
        params,
        used: HashSet::new(),
        associated: Vec::new(),
    };
    for field in fields {
        usage.visit_type(field.ty());
    }
    let mut predicates: Vec<syn::WherePredicate> = Vec::new();
    for param in generics.type_params() {
        if usage.used.contains(&param.ident) {
            let ident = &param.ident;
            predicates.push(syn::parse_quote!(#ident: #bound));
        }
    }
    let mut seen = HashSet::new();
    for ty in usage.associated {
        let key = quote::ToTokens::to_token_stream(ty).to_string();
        if seen.insert(key) {
            predicates.push(syn::parse_quote!(#ty: #bound));
        }
    }
    predicates
}

/// The fields of the struct, or of the variants that are not skipped: those that reading fills,
/// from the archive or with a default.
fn read_fields<'c, 'a>(cont: &'c Container<'a>) -> impl Iterator<Item = &'c Field<'a>> {
    let fields: Vec<&'c Field<'a>> = match &cont.data {
        Data::Struct(_, fields) => fields.iter().collect(),
        Data::Enum(variants) => variants
            .iter()
            .filter(|v| !v.attrs.skip)
            .flat_map(|v| v.fields.iter())
            .collect(),
    };
    fields.into_iter()
}

/// Which type parameters a type mentions, walking every part of it.
struct Usage<'p, 't> {
    params: &'p HashSet<syn::Ident>,
    /// Type parameters used directly: `T`, `Vec<T>`, `&'a [T]`.
    used: HashSet<syn::Ident>,
    /// Associated types of type parameters: `T::Item`.
    associated: Vec<&'t syn::TypePath>,
}

impl<'t> Usage<'_, 't> {
    fn visit_type(&mut self, ty: &'t syn::Type) {
        match ty {
            syn::Type::Array(ty) => self.visit_type(&ty.elem),
            syn::Type::FnPtr(ty) => {
                for arg in &ty.inputs {
                    self.visit_type(&arg.ty);
                }
                self.visit_return_type(&ty.output);
            }
            syn::Type::Group(ty) => self.visit_type(&ty.elem),
            syn::Type::ImplTrait(ty) => self.visit_bounds(&ty.bounds),
            syn::Type::Paren(ty) => self.visit_type(&ty.elem),
            syn::Type::Path(ty) => self.visit_type_path(ty),
            syn::Type::Ptr(ty) => self.visit_type(&ty.elem),
            syn::Type::Reference(ty) => self.visit_type(&ty.elem),
            syn::Type::Slice(ty) => self.visit_type(&ty.elem),
            syn::Type::TraitObject(ty) => self.visit_bounds(&ty.bounds),
            syn::Type::Tuple(ty) => {
                for elem in &ty.elems {
                    self.visit_type(elem);
                }
            }
            // Nothing to see inside: `_`, `!`, a macro's tokens, tokens syn does not model.
            _ => {}
        }
    }

    fn visit_type_path(&mut self, ty: &'t syn::TypePath) {
        if let Some(qself) = &ty.qself {
            self.visit_type(&qself.ty);
        } else if ty.path.leading_colon.is_none()
            && let Some(first) = ty.path.segments.first()
            && self.params.contains(&first.ident)
        {
            if ty.path.segments.len() == 1 {
                self.used.insert(first.ident.clone());
            } else {
                self.associated.push(ty);
            }
        }
        self.visit_path(&ty.path);
    }

    fn visit_path(&mut self, path: &'t syn::Path) {
        for segment in &path.segments {
            match &segment.arguments {
                syn::PathArguments::None => {}
                syn::PathArguments::AngleBracketed(args) => {
                    for arg in &args.args {
                        match arg {
                            syn::GenericArgument::Type(ty) => self.visit_type(ty),
                            syn::GenericArgument::AssocType(assoc) => self.visit_type(&assoc.ty),
                            syn::GenericArgument::Constraint(constraint) => {
                                self.visit_bounds(&constraint.bounds);
                            }
                            _ => {}
                        }
                    }
                }
                syn::PathArguments::Parenthesized(args) => {
                    for arg in &args.inputs {
                        self.visit_type(&arg.ty);
                    }
                    self.visit_return_type(&args.output);
                }
            }
        }
    }

    fn visit_return_type(&mut self, output: &'t syn::ReturnType) {
        if let syn::ReturnType::Type(_, ty) = output {
            self.visit_type(ty);
        }
    }

    fn visit_bounds<P>(&mut self, bounds: &'t syn::punctuated::Punctuated<syn::TypeParamBound, P>) {
        for bound in bounds {
            if let syn::TypeParamBound::Trait(bound) = bound {
                self.visit_path(&bound.path);
            }
        }
    }
}
