# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   i8: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i8>, ndarray::dimension::dim::Dim<[usize; 1]>, i8>
#   i16: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i16>, ndarray::dimension::dim::Dim<[usize; 1]>, i16>
#   i32: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i32>, ndarray::dimension::dim::Dim<[usize; 1]>, i32>
#   i64: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i64>, ndarray::dimension::dim::Dim<[usize; 1]>, i64>
#   u8: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<u8>, ndarray::dimension::dim::Dim<[usize; 1]>, u8>
#   u16: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<u16>, ndarray::dimension::dim::Dim<[usize; 1]>, u16>
#   u32: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<u32>, ndarray::dimension::dim::Dim<[usize; 1]>, u32>
#   u64: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<u64>, ndarray::dimension::dim::Dim<[usize; 1]>, u64>
#   bools: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<bool>, ndarray::dimension::dim::Dim<[usize; 1]>, bool>
#   f32: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f32>, ndarray::dimension::dim::Dim<[usize; 1]>, f32>
#   f64: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 1]>, f64>
#   c64: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<num_complex::Complex<f32>>, ndarray::dimension::dim::Dim<[usize; 1]>, num_complex::Complex<f32>>
#   c128: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<num_complex::Complex<f64>>, ndarray::dimension::dim::Dim<[usize; 1]>, num_complex::Complex<f64>>
#   small_bools: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<bool>, ndarray::dimension::dim::Dim<[usize; 1]>, bool>
#   small_ints: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i64>, ndarray::dimension::dim::Dim<[usize; 1]>, i64>
#   small_u64: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<u64>, ndarray::dimension::dim::Dim<[usize; 1]>, u64>
#   small_doubles: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 1]>, f64>
#   small_complex: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<num_complex::Complex<f32>>, ndarray::dimension::dim::Dim<[usize; 1]>, num_complex::Complex<f32>>
#   small_matrix: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 2]>, f64>
#   matrix: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 2]>, f64>
#   fortran: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 2]>, f64>
#   fortran_small: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i32>, ndarray::dimension::dim::Dim<[usize; 2]>, i32>
#   cube: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i32>, ndarray::dimension::dim::Dim<[usize; 3]>, i32>
#   dynamic: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<u8>, ndarray::dimension::dim::Dim<ndarray::dimension::dynindeximpl::IxDynImpl>, u8>
#   scalar: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 0]>, f64>
#   empty: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f32>, ndarray::dimension::dim::Dim<[usize; 2]>, f32>
#   view: ndarray::ArrayBase<ndarray::ViewRepr<&i64>, ndarray::dimension::dim::Dim<[usize; 2]>, i64>

import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), '_arrays')


def _load(name):
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)



i8 = _load('i8.npy')
i16 = _load('i16.npy')
i32 = _load('i32.npy')
i64 = _load('i64.npy')
u8 = _load('u8.npy')
u16 = _load('u16.npy')
u32 = _load('u32.npy')
u64 = _load('u64.npy')
bools = _load('bools.npy')
f32 = _load('f32.npy')
f64 = _load('f64.npy')
c64 = _load('c64.npy')
c128 = _load('c128.npy')
small_bools = _np.array([True, False], dtype='bool')
small_ints = _np.array([-9223372036854775808, 9223372036854775807], dtype='int64')
small_u64 = _np.array([18446744073709551615], dtype='uint64')
small_doubles = _np.array([-0.0, float('nan'), float('inf')], dtype='float64')
small_complex = _np.array([complex(0.0, -0.0), complex(0.5, -1.0)], dtype='complex64')
small_matrix = _np.array([[1.0, 2.0], [3.0, 4.0]], dtype='float64')
matrix = _load('matrix.npy')
fortran = _load('fortran.npy')
fortran_small = _np.asfortranarray(_np.array([[0, 1], [10, 11]], dtype='int32'))
cube = _load('cube.npy')
dynamic = _load('dynamic.npy')
scalar = _np.array(2.5, dtype='float64')
empty = _np.zeros((0, 3), dtype='float32')
view = _load('view.npy')
del _np, _os, _arrays, _load
