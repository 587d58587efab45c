# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy and h5py are needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   cube: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i32>, ndarray::dimension::dim::Dim<[usize; 3]>, i32>
#   f64: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 1]>, f64>

import numpy as _np
import os as _os
import h5py as _h5py
_data = _h5py.File(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), '_data.h5'), 'r')


def _load(name):
    return _data[name]



cube = _load('cube')
f64 = _load('f64')
del _np, _os, _h5py, _data, _load
