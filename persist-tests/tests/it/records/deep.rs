//! Deep nesting: a linked list 5 000 nodes deep imports and saves on a default thread's stack
//! (checked in a child process), vectors nested 300 deep import.

use persist_core::{Archive, Persist};
use persist_tests::{run_python, save_package};

#[derive(Persist)]
struct Node {
    value: u32,
    next: Option<Box<Node>>,
}

/// A linked list `n` nodes long, built without recursion; its values count down to 1.
fn linked_list(n: u32) -> Node {
    let mut head = Node {
        value: n,
        next: None,
    };
    for value in (1..n).rev() {
        head = Node {
            value,
            next: Some(Box::new(head)),
        };
    }
    head
}

impl Drop for Node {
    /// Drop iteratively, so that a long list does not overflow the stack when dropped.
    fn drop(&mut self) {
        let mut next = self.next.take();
        while let Some(mut node) = next {
            next = node.next.take();
        }
    }
}

/// Saves a 5 000-node list as the package `arch` in `dir`, on a thread of `stack` bytes.
fn save_linked_list(dir: &std::path::Path, stack: usize) {
    let dir = dir.to_path_buf();
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let list = linked_list(5000);
            let mut archive = Archive::new();
            archive.insert("head", &list).unwrap();
            archive
                .save(dir.join("arch"), persist_core::SaveOptions::package())
                .unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_linked_list_5000_nodes_deep_imports() {
    let dir = tempfile::tempdir().unwrap();
    // 8 MiB: the stack of a program's main thread on Linux.
    save_linked_list(dir.path(), 8 << 20);
    run_python(
        dir.path(),
        "import arch as a\n\
         n, node, last = 0, a.head, None\n\
         while node is not None:\n\
         \x20   assert type(node).__name__ == 'Node'\n\
         \x20   n += 1\n\
         \x20   last = node.value\n\
         \x20   node = node.next\n\
         assert n == 5000, n\n\
         assert last == 5000 and a.head.value == 1, (last, a.head.value)\n",
    );
}

/// Saving a deep value must not need more stack than a spawned thread has by default. A stack
/// overflow aborts the whole process with no error to handle, so the test runs the save in a
/// child copy of this test binary (marked by an environment variable) and checks its outcome.
#[test]
fn a_linked_list_5000_nodes_deep_saves_on_a_default_thread() {
    const CHILD: &str = "PERSIST_TEST_DEEP_LIST_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        // 2 MiB: the default stack of a spawned thread (and of each test).
        save_linked_list(dir.path(), 2 << 20);
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "records::deep::a_linked_list_5000_nodes_deep_saves_on_a_default_thread",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("running 1 test"),
        "the child test did not run: {stdout}"
    );
    assert!(
        out.status.success(),
        "saving a 5 000-node linked list on a 2 MiB thread failed ({}):\n{}",
        out.status,
        stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[derive(Persist)]
struct Nest {
    children: Vec<Nest>,
}

#[test]
fn vectors_nested_300_deep_import() {
    let mut nest = Nest { children: vec![] };
    for _ in 0..300 {
        nest = Nest {
            children: vec![nest],
        };
    }
    let mut archive = Archive::new();
    archive.insert("nest", &nest).unwrap();
    save_package(&archive).check(
        "n, x = 0, a.nest\n\
         while x.children:\n\
         \x20   assert len(x.children) == 1\n\
         \x20   x = x.children[0]\n\
         \x20   n += 1\n\
         assert n == 300, n\n",
    );
}

/// A binary tree whose left spine is `n` nodes deep, each node with a leaf on its right.
#[derive(Persist)]
struct Tree {
    value: u32,
    left: Option<Box<Tree>>,
    right: Option<Box<Tree>>,
}

impl Drop for Tree {
    /// Drop the left spine iteratively (the right children are leaves).
    fn drop(&mut self) {
        let mut left = self.left.take();
        while let Some(mut node) = left {
            left = node.left.take();
        }
    }
}

fn spine(n: u32) -> Tree {
    let leaf = |value| {
        Some(Box::new(Tree {
            value,
            left: None,
            right: None,
        }))
    };
    let mut tree = Tree {
        value: 0,
        left: None,
        right: leaf(0),
    };
    for value in 1..n {
        tree = Tree {
            value,
            left: Some(Box::new(tree)),
            right: leaf(value),
        };
    }
    tree
}

/// Deep values save in time linear in their size (the benchmark `DEEP` times depths up to
/// 50 000); here a 30 000-deep tree and list are saved, imported by Python (every node walked,
/// no recursion) and read back by Rust equal, and their hoisted statements start at column 0.
#[test]
fn a_tree_and_a_list_30000_deep_save_import_and_read_back() {
    let tree = spine(30_000);
    let list = linked_list(30_000);
    let mut archive = Archive::new();
    archive.insert("tree", &tree).unwrap();
    archive.insert("head", &list).unwrap();
    let saved = save_package(&archive);
    let source = std::fs::read_to_string(saved.dir.path().join("arch/__init__.py")).unwrap();
    assert!(
        source.lines().filter(|l| l.starts_with("_t")).count() > 600,
        "deep values are hoisted into statements"
    );
    let out = saved.check(
        "n, t, leaves = 0, a.tree, 0\n\
         while t is not None:\n\
         \x20   n += 1\n\
         \x20   leaves += t.right.value == t.value and t.right.left is None\n\
         \x20   t = t.left\n\
         m, h = 0, a.head\n\
         while h is not None:\n\
         \x20   m += 1\n\
         \x20   h = h.next\n\
         print(n, leaves, m)",
    );
    assert_eq!(out.trim(), "30000 30000 30000");
    let reader = persist_core::ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    let back: Tree = reader.read("tree").unwrap();
    // Compared node by node (a derived `==` would recurse 30 000 deep).
    let (mut a, mut b) = (Some(&back), Some(&tree));
    while let (Some(x), Some(y)) = (a, b) {
        assert_eq!(x.value, y.value);
        let (xr, yr) = (x.right.as_deref().unwrap(), y.right.as_deref().unwrap());
        assert_eq!((xr.value, xr.left.is_none()), (yr.value, yr.left.is_none()));
        (a, b) = (x.left.as_deref(), y.left.as_deref());
    }
    assert!(
        a.is_none() && b.is_none(),
        "the tree reads back as deep as written"
    );
    let back: Node = reader.read("head").unwrap();
    let (mut n, mut node) = (0, Some(&back));
    while let Some(current) = node {
        n += 1;
        assert_eq!(current.value, n);
        node = current.next.as_deref();
    }
    assert_eq!(n, 30_000);
}
