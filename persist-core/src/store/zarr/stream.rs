//! Streaming an array into the Zarr store: rows are gathered into bands of whole chunks along
//! the first axis and each band is written as it fills, so memory holds at most one band (plus
//! the slab being pushed); the array's shape grows with it and its metadata is rewritten at the
//! end.

use ndarray::{Array, ArrayView, Axis, IxDyn, Slice};
use zarrs::array::Array as ZarrArray;

use super::files::DeferredStore;
use super::{ZarrStore, store_metadata, write_rows};
use crate::array::Element;
use crate::store::stream::{SlabSink, Slabs, stream_chunk_shape};

/// An array being streamed: rows written, and rows waiting for their band to fill.
struct ZarrStream<A> {
    zarr: ZarrArray<DeferredStore>,
    /// Rows per chunk along the first axis.
    band: usize,
    /// Rows written to the store.
    written: usize,
    /// Rows received but not written (fewer than a band), in C order.
    pending: Vec<A>,
    row_shape: Vec<usize>,
}

impl ZarrStore {
    /// Start the array for the item path `path`, rows of `row_shape` (`rows` of them if known).
    pub(crate) fn start_stream<A: Element>(
        &mut self,
        path: &[String],
        row_shape: &[usize],
        rows: Option<usize>,
    ) -> Result<(String, Slabs<A>), String> {
        let chunk = stream_chunk_shape(
            row_shape,
            rows,
            std::mem::size_of::<A>(),
            self.options.chunk_bytes,
        );
        let mut shape = vec![rows.unwrap_or(0)];
        shape.extend_from_slice(row_shape);
        let (name, zarr, band) = self
            .create_array_chunked::<A>(path, &shape, chunk)
            .map_err(|e| e.to_string())?;
        Ok((
            name,
            Box::new(ZarrStream {
                zarr,
                band,
                written: 0,
                pending: Vec::new(),
                row_shape: row_shape.to_vec(),
            }),
        ))
    }
}

impl<A: Element> ZarrStream<A> {
    /// Write `rows` from row `self.written` on, growing the array's shape to hold them.
    fn write(&mut self, rows: &ArrayView<'_, A, IxDyn>) -> Result<(), String> {
        let end = self.written + rows.shape()[0];
        if end > self.zarr.shape()[0] as usize {
            let mut shape = self.zarr.shape().to_vec();
            shape[0] = end as u64;
            self.zarr.set_shape(shape).map_err(|e| e.to_string())?;
        }
        write_rows(&self.zarr, rows, self.written, self.band)?;
        self.written = end;
        Ok(())
    }

    /// The rows waiting, as an array.
    fn pending_rows(&mut self) -> Result<Array<A, IxDyn>, String> {
        let row_len: usize = self.row_shape.iter().product();
        let count = self.pending.len().checked_div(row_len).unwrap_or(0);
        let mut shape = vec![count];
        shape.extend_from_slice(&self.row_shape);
        Array::from_shape_vec(IxDyn(&shape), std::mem::take(&mut self.pending))
            .map_err(|e| e.to_string())
    }
}

impl<A: Element> SlabSink<A> for ZarrStream<A> {
    fn push(&mut self, rows: &ArrayView<'_, A, IxDyn>) -> Result<(), String> {
        let row_len: usize = self.row_shape.iter().product();
        let mut rows = rows.view();
        // Complete the band that is waiting, if any.
        if !self.pending.is_empty() {
            let waiting = self.pending.len() / row_len.max(1);
            let take = (self.band - waiting).min(rows.shape()[0]);
            extend(
                &mut self.pending,
                &rows.slice_axis(Axis(0), Slice::from(..take)),
            );
            rows.slice_axis_inplace(Axis(0), Slice::from(take..));
            if waiting + take < self.band {
                return Ok(());
            }
            let band = self.pending_rows()?;
            self.write(&band.view())?;
        }
        // Whole bands straight from the slab, the rest waits.
        let whole = rows.shape()[0] / self.band * self.band;
        if whole > 0 {
            self.write(&rows.slice_axis(Axis(0), Slice::from(..whole)))?;
        }
        extend(
            &mut self.pending,
            &rows.slice_axis(Axis(0), Slice::from(whole..)),
        );
        Ok(())
    }

    fn finish(mut self: Box<Self>, rows: usize) -> Result<(), String> {
        if !self.pending.is_empty() {
            let last = self.pending_rows()?;
            self.write(&last.view())?;
        }
        debug_assert_eq!(rows, self.written);
        let mut shape = self.zarr.shape().to_vec();
        shape[0] = rows as u64;
        self.zarr.set_shape(shape).map_err(|e| e.to_string())?;
        store_metadata(&self.zarr)
    }
}

/// Append the elements of `rows` in C order.
fn extend<A: Element>(pending: &mut Vec<A>, rows: &ArrayView<'_, A, IxDyn>) {
    pending.extend_from_slice(&crate::store::c_order(rows));
}
