# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy and h5py are needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   matrix: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 2]>, f64>
#   i32: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<i32>, ndarray::dimension::dim::Dim<[usize; 1]>, i32>

import numpy as _np
import os as _os
import h5py as _h5py
_data = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'hdf5_module_data.h5')


def _load(name):
    with _h5py.File(_data, 'r') as f:
        d = f[name]
        a = _np.asarray(d[()])
        if d.attrs.get('fortran_order', False):
            a = _np.asfortranarray(a)
    return a



matrix = _load('matrix')
i32 = _load('i32')
del _np, _os, _h5py, _data, _load
