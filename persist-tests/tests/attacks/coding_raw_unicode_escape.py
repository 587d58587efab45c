# -*- coding: raw_unicode_escape -*-
x = [1]  # c \u000aopen({M}, 'w')

# attack: PEP 263 cookie: a comment becomes code
# expect: 1:1: the coding declaration `raw_unicode_escape` makes Python read this file as something other than UTF-8
# live: yes
# read: open
