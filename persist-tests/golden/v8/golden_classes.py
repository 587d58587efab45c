"""User classes of the golden archive `attributes`: built by keyword arguments."""


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return type(other) is Point and (self.x, self.y) == (other.x, other.y)

    def __repr__(self):
        return 'Point(x=%r, y=%r)' % (self.x, self.y)


class Square:
    def __init__(self, side):
        self.side = side

    def __repr__(self):
        return 'Square(side=%r)' % (self.side,)
