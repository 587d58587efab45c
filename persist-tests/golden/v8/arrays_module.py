# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   matrix: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 2]>, f64>
#   small: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 2]>, f64>
#   fortran: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 2]>, f64>

import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'arrays_module_arrays')


def _load(name):
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)



matrix = _load('matrix.npy')
small = _np.array([[1.0, 2.0], [3.0, 4.0]], dtype='float64')
fortran = _load('fortran.npy')
del _np, _os, _arrays, _load
