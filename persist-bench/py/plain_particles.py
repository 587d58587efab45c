"""The plain Python classes P3's pickle baselines are made of (persist's benchmarks).

`import_vs_pickle.py` and `peak_rss.py` both pickle the archive's records as instances of these
two classes, so that `pickle.loads`/`pickle.load` build ordinary objects of the same fields.
"""


class Position:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


class Particle:
    def __init__(self, name, id, charge, mass, energy, position):
        self.name = name
        self.id = id
        self.charge = charge
        self.mass = mass
        self.energy = energy
        self.position = position


def plain(values):
    """The archive's records `values` as a list of plain `Particle`s."""
    return [
        Particle(
            p.name,
            p.id,
            p.charge,
            p.mass,
            p.energy,
            Position(p.position.x, p.position.y, p.position.z),
        )
        for p in values
    ]
