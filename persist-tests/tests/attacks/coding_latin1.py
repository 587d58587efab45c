#!/usr/bin/env python
# vim: set fileencoding=latin-1 :
x = ['é']

# attack: Python reads the string as mojibake
# expect: 2:1: the coding declaration `latin-1`
# live: no
# read: open
