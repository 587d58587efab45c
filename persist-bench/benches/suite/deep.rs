//! DEEP: saving deeply nested values (a linked list and a binary tree's spine, 5 000 to 50 000
//! deep) against the same nodes side by side in one flat list: the cost of depth itself. The
//! issue's target is under 1 s at depth 50 000 for both shapes, and time linear in depth.

use persist_bench::{Row, Table, Target, rounds, time};

use persist_core::{Archive, Persist};

use crate::{Config, secs};

/// One node of a linked list (`next`) or of a tree whose left spine is deep (`right` a leaf).
#[derive(Persist)]
struct Node {
    value: u32,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

impl Drop for Node {
    /// Drop the spine iteratively: a recursive drop would overflow the stack.
    fn drop(&mut self) {
        let mut left = self.left.take();
        while let Some(mut node) = left {
            left = node.left.take();
        }
    }
}

fn leaf(value: u32) -> Option<Box<Node>> {
    Some(Box::new(Node {
        value,
        left: None,
        right: None,
    }))
}

/// A spine `depth` nodes deep; with `tree`, every node also has a leaf on its right.
fn spine(depth: u32, tree: bool) -> Node {
    let mut node = Node {
        value: 0,
        left: None,
        right: tree.then(|| leaf(0)).flatten(),
    };
    for value in 1..depth {
        node = Node {
            value,
            left: Some(Box::new(node)),
            right: tree.then(|| leaf(value)).flatten(),
        };
    }
    node
}

/// The same nodes as `spine`, one flat list of nodes without children.
fn flat(depth: u32, tree: bool) -> Vec<Node> {
    (0..depth)
        .map(|value| Node {
            value,
            left: None,
            right: tree.then(|| leaf(value)).flatten(),
        })
        .collect()
}

fn source<T: Persist + Send + Sync + ?Sized>(value: &T) -> usize {
    let mut archive = Archive::new();
    archive.insert("x", value).expect("insert");
    archive.to_python_source().expect("render").len()
}

/// The DEEP rows: for each shape and depth, the deep value's source vs the flat list's.
pub fn run(config: &Config, table: &mut Table) {
    let depths: &[u32] = if config.quick {
        &[5_000, 20_000]
    } else {
        &[5_000, 10_000, 20_000, 50_000]
    };
    for (shape, tree) in [("linked list", false), ("tree spine", true)] {
        for &depth in depths {
            eprintln!("DEEP: a {shape} {depth} deep");
            let deep = spine(depth, tree);
            let wide = flat(depth, tree);
            let samples = rounds(
                config.reps(5, 1),
                &mut [
                    Box::new(|| time(|| source(&deep)).0),
                    Box::new(|| time(|| source(&wide)).0),
                ],
            );
            let [d, w] = [0, 1].map(|i| samples[i].median());
            table.push(Row::new(
                "DEEP",
                format!("save a {shape} {depth} deep (`to_python_source`; target < 1 s at 50 000)"),
                secs(d),
                format!("the same {depth} nodes in one flat list {}", secs(w)),
                d / w,
                // The target is absolute (under 1 s at 50 000, linear in depth), read off the
                // persist column; the flat list shows what the depth itself costs.
                Target::None,
            ));
        }
    }
}
