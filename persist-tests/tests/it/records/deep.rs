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
