//! Streaming an array into the HDF5 store: a chunked dataset whose first axis is resizable
//! (unlimited), extended and written one slab at a time; HDF5's chunk cache bounds the memory.

use ::hdf5::{Dataset, Extent, Hyperslab, SimpleExtents, SliceOrIndex};
use ndarray::{ArrayView, IxDyn};

use super::{DatasetError, Hdf5Store, descriptor, write_elements};
use crate::array::Element;
use crate::store::stream::{SlabSink, Slabs, stream_chunk_shape};

/// A dataset being streamed: rows so far.
struct Hdf5Stream {
    dataset: Dataset,
    name: String,
    rows: usize,
}

impl Hdf5Store {
    /// Start the dataset for the item path `path`, rows of `row_shape` (`rows` of them if
    /// known), chunked whatever the options say (a resizable dataset needs chunks).
    pub(crate) fn start_stream<A: Element>(
        &mut self,
        path: &[String],
        row_shape: &[usize],
        rows: Option<usize>,
    ) -> Result<(String, Slabs<A>), String> {
        let Some(kind) = A::elements(&[]) else {
            return Err(format!(
                "the HDF5 array store cannot write arrays of `{}`",
                std::any::type_name::<A>()
            ));
        };
        let name = self.unique_name(path);
        let fail = |source| {
            DatasetError {
                dataset: name.clone(),
                source,
            }
            .to_string()
        };
        let file = self.create_groups(&name).map_err(fail)?;
        let descriptor = descriptor(&kind);
        let chunk = stream_chunk_shape(
            row_shape,
            rows,
            descriptor.size(),
            super::super::CHUNK_BYTES,
        );
        let extents: Vec<Extent> = std::iter::once(Extent::resizable(0))
            .chain(row_shape.iter().map(|&n| Extent::fixed(n)))
            .collect();
        let mut builder = file
            .new_dataset_builder()
            .empty_as(&descriptor)
            .shape(SimpleExtents::new(extents))
            .chunk(chunk.as_slice())
            .obj_track_times(false)
            .create_intermediate_group(false)
            .char_encoding(::hdf5::plist::link_create::CharEncoding::Utf8);
        if let Some(level) = self.options.gzip {
            builder = builder.deflate(level);
        }
        let dataset = builder.create(name.as_str()).map_err(fail)?;
        Ok((
            name.clone(),
            Box::new(Hdf5Stream {
                dataset,
                name,
                rows: 0,
            }),
        ))
    }
}

impl<A: Element> SlabSink<A> for Hdf5Stream {
    fn push(&mut self, rows: &ArrayView<'_, A, IxDyn>) -> Result<(), String> {
        let fail = |source| {
            DatasetError {
                dataset: self.name.clone(),
                source,
            }
            .to_string()
        };
        let shape = rows.shape().to_vec();
        let end = self.rows + shape[0];
        let mut extent = shape.clone();
        extent[0] = end;
        self.dataset.resize(extent).map_err(fail)?;
        let selection: Vec<SliceOrIndex> = std::iter::once((self.rows..end).into())
            .chain(shape[1..].iter().map(|_| (..).into()))
            .collect();
        let slab = Some((shape, Hyperslab::from(selection)));
        write_elements(&self.dataset, &crate::store::c_order(rows), slab).map_err(fail)?;
        self.rows = end;
        Ok(())
    }

    fn finish(self: Box<Self>, rows: usize) -> Result<(), String> {
        debug_assert_eq!(rows, self.rows);
        // The file is closed and synced with the archive's other datasets.
        Ok(())
    }
}
