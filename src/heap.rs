//! The size-class heap behind the shipped module's global allocator
//! (`bindings/runtime.rs`), kept here so its arithmetic is tested natively
//! against a plain byte arena: only the source of fresh pages differs.
//!
//! Blocks are powers of two from 16 bytes; each class keeps a free list
//! (a free block's first word links to the next). Fresh blocks are cut from
//! the last pages grown, aligned to min(block size, page): every class's
//! alignment need is met, since a block is at least as large as its
//! alignment. Memory is reused, never returned (wasm memory cannot shrink).
//! The module's allocations are short-lived strings and a few vectors, which
//! classes fit well; this is about 0.3 KB of wasm where dlmalloc was 8 KB.

use core::alloc::Layout;

pub const PAGE: usize = 65_536;
/// The smallest block: 16 bytes (room for the free-list link, and the
/// largest alignment Rust types here need).
const MIN_CLASS_BITS: u32 = 4;
/// Blocks up to 2^(4 + 27) bytes: more than wasm32 memory can hold anyway.
const CLASSES: usize = 28;

pub struct SizeClassHeap {
    /// Head of each class's free list (0: empty).
    free: [usize; CLASSES],
    /// The unused part of the last pages grown: `next..end`.
    next: usize,
    end: usize,
}

impl Default for SizeClassHeap {
    fn default() -> Self {
        SizeClassHeap::new()
    }
}

impl SizeClassHeap {
    pub const fn new() -> SizeClassHeap {
        SizeClassHeap {
            free: [0; CLASSES],
            next: 0,
            end: 0,
        }
    }

    /// The class of blocks that fit `layout` (size and alignment), if any.
    fn class_of(layout: &Layout) -> Option<usize> {
        let size = layout
            .size()
            .max(layout.align())
            .max(1 << MIN_CLASS_BITS)
            .checked_next_power_of_two()?;
        let class = (size.trailing_zeros() - MIN_CLASS_BITS) as usize;
        (class < CLASSES).then_some(class)
    }

    /// A block for `layout`, or null. `grow(pages)` adds that many fresh
    /// pages and returns the address of the first (`None`: out of memory).
    ///
    /// # Safety
    /// Every block handed back to `dealloc` must have come from this heap
    /// with the same layout's class, and the memory `grow` returns must be
    /// writable and unused by anything else.
    pub unsafe fn alloc(
        &mut self,
        layout: Layout,
        grow: impl FnOnce(usize) -> Option<usize>,
    ) -> *mut u8 {
        let Some(class) = SizeClassHeap::class_of(&layout) else {
            return core::ptr::null_mut();
        };
        let head = self.free[class];
        if head != 0 {
            // SAFETY: `head` is a block freed into this class; its first
            // word holds the next link.
            self.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let size = 1usize << (class as u32 + MIN_CLASS_BITS);
        let align = size.min(PAGE);
        let mut start = (self.next + align - 1) & !(align - 1);
        if self.end == 0 || start + size > self.end {
            let pages = size.div_ceil(PAGE) + 1;
            let Some(base) = grow(pages) else {
                return core::ptr::null_mut();
            };
            if base != self.end {
                // Memory grew elsewhere meanwhile: start afresh at `base`.
                self.next = base;
            }
            self.end = base + pages * PAGE;
            start = (self.next + align - 1) & !(align - 1);
        }
        self.next = start + size;
        start as *mut u8
    }

    /// Returns a block to its class's free list.
    ///
    /// # Safety
    /// `ptr` came from `alloc` of this heap with a layout of the same class,
    /// and is not used afterwards.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        let Some(class) = SizeClassHeap::class_of(&layout) else {
            return;
        };
        // SAFETY: the block is at least 16 bytes and 16-aligned (its class).
        unsafe { *(ptr as *mut usize) = self.free[class] };
        self.free[class] = ptr as usize;
    }

    /// Whether a block for `old` also fits `new` (then realloc keeps it).
    pub fn same_block(old: &Layout, new: &Layout) -> bool {
        let class = SizeClassHeap::class_of(old);
        class.is_some() && class == SizeClassHeap::class_of(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page-aligned byte arena standing in for wasm memory.
    struct Arena {
        bytes: Vec<u8>,
        base: usize,
        pages_used: usize,
        pages: usize,
    }

    impl Arena {
        fn new(pages: usize) -> Arena {
            let bytes = vec![0u8; (pages + 1) * PAGE];
            let base = (bytes.as_ptr() as usize + PAGE - 1) & !(PAGE - 1);
            Arena {
                bytes,
                base,
                pages_used: 0,
                pages,
            }
        }

        fn grow(&mut self, pages: usize) -> Option<usize> {
            if self.pages_used + pages > self.pages {
                return None;
            }
            let at = self.base + self.pages_used * PAGE;
            self.pages_used += pages;
            Some(at)
        }

        fn contains(&self, ptr: *mut u8, size: usize) -> bool {
            let start = self.bytes.as_ptr() as usize;
            let p = ptr as usize;
            p >= start && p + size <= start + self.bytes.len()
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_inside_the_arena() {
        let mut arena = Arena::new(64);
        let mut heap = SizeClassHeap::new();
        let mut live: Vec<(usize, usize)> = Vec::new();
        let mut seed = 7u32;
        for _ in 0..2000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let size = 1 + (seed >> 8) as usize % 3000;
            let align = 1 << ((seed >> 4) % 4);
            let l = layout(size, align);
            let p = unsafe { heap.alloc(l, |n| arena.grow(n)) };
            assert!(!p.is_null());
            assert_eq!(p as usize % align, 0);
            assert!(arena.contains(p, size));
            // Write the whole block: a second owner would be caught below.
            unsafe { core::ptr::write_bytes(p, 0xAB, size) };
            for &(q, qsize) in &live {
                assert!(p as usize + size <= q || q + qsize <= p as usize, "overlap");
            }
            live.push((p as usize, size));
            if seed % 3 == 0 {
                let (q, qsize) = live.swap_remove((seed as usize / 3) % live.len());
                unsafe { heap.dealloc(q as *mut u8, layout(qsize, 1)) };
            }
        }
    }

    #[test]
    fn a_steady_workload_reuses_memory_instead_of_growing() {
        let mut arena = Arena::new(16);
        let mut heap = SizeClassHeap::new();
        for round in 0..10_000 {
            let sizes = [24, 200, 1500, 64 + round % 100];
            let blocks: Vec<_> = sizes
                .iter()
                .map(|&s| (unsafe { heap.alloc(layout(s, 8), |n| arena.grow(n)) }, s))
                .collect();
            for (p, s) in blocks {
                assert!(!p.is_null());
                unsafe { heap.dealloc(p, layout(s, 8)) };
            }
        }
        assert!(arena.pages_used <= 4, "{} pages", arena.pages_used);
    }

    #[test]
    fn a_freed_block_is_handed_out_again_for_its_class() {
        let mut arena = Arena::new(4);
        let mut heap = SizeClassHeap::new();
        let a = unsafe { heap.alloc(layout(100, 8), |n| arena.grow(n)) };
        unsafe { heap.dealloc(a, layout(100, 8)) };
        // 65..=128 bytes share a class.
        let b = unsafe { heap.alloc(layout(120, 8), |n| arena.grow(n)) };
        assert_eq!(a, b);
        assert!(SizeClassHeap::same_block(&layout(100, 8), &layout(128, 8)));
        assert!(!SizeClassHeap::same_block(&layout(100, 8), &layout(129, 8)));
    }

    #[test]
    fn out_of_memory_is_null_not_a_trap() {
        let mut arena = Arena::new(3);
        let mut heap = SizeClassHeap::new();
        let big = unsafe { heap.alloc(layout(PAGE * 4, 8), |n| arena.grow(n)) };
        assert!(big.is_null());
        let huge = unsafe { heap.alloc(layout(isize::MAX as usize - 7, 8), |n| arena.grow(n)) };
        assert!(huge.is_null());
        // Small blocks still work after a refusal.
        let small = unsafe { heap.alloc(layout(10, 1), |n| arena.grow(n)) };
        assert!(!small.is_null());
    }

    #[test]
    fn large_blocks_are_page_aligned() {
        let mut arena = Arena::new(32);
        let mut heap = SizeClassHeap::new();
        let _small = unsafe { heap.alloc(layout(10, 1), |n| arena.grow(n)) };
        let big = unsafe { heap.alloc(layout(PAGE * 2, 8), |n| arena.grow(n)) };
        assert!(!big.is_null());
        assert_eq!(big as usize % PAGE, 0);
        assert!(arena.contains(big, PAGE * 2));
    }
}
