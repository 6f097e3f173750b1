//! What `std` would provide to the shipped (`no_std`) module: a panic
//! handler and a global allocator. Only with the `shipped` feature (the
//! package build); wasm-bindgen-test builds keep std's.
//!
//! - Panics trap at once. Nothing in the crate is meant to panic on any
//!   input (fuzzed and property-tested); if one did, std's handler would
//!   only have formatted a message nobody reads before trapping too, and its
//!   formatting machinery cost about 8 KB.
//! - The allocator hands out power-of-two size classes and keeps a free list
//!   per class; memory comes from `memory.grow` and is reused, never
//!   returned (wasm memory cannot shrink). The module's allocations are
//!   short-lived strings and a few vectors, so classes fit them well; it is
//!   about 0.3 KB where dlmalloc was about 8 KB.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

const PAGE: usize = 65_536;
/// The smallest block: 16 bytes (room for the free-list link, and the
/// largest alignment Rust types here need).
const MIN_CLASS_BITS: u32 = 4;
/// Blocks up to 2^(4 + 27) bytes: more than wasm32 memory can hold anyway.
const CLASSES: usize = 28;

struct Heap {
    /// Head of each class's free list (0: empty); a free block's first word
    /// links to the next.
    free: [usize; CLASSES],
    /// The unused part of the last memory grown: `next..end`.
    next: usize,
    end: usize,
}

struct SizeClassAllocator(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for SizeClassAllocator {}

#[global_allocator]
static ALLOCATOR: SizeClassAllocator = SizeClassAllocator(UnsafeCell::new(Heap {
    free: [0; CLASSES],
    next: 0,
    end: 0,
}));

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

unsafe impl GlobalAlloc for SizeClassAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(&layout) else {
            return core::ptr::null_mut();
        };
        // SAFETY: one thread, and no allocation happens while `heap` is held.
        let heap = unsafe { &mut *self.0.get() };
        let head = heap.free[class];
        if head != 0 {
            // SAFETY: `head` is a block this allocator freed; its first word
            // holds the next link.
            heap.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        // A block of size 2^k is aligned to min(2^k, page): every class's
        // alignment need is met, since size >= align.
        let size = 1usize << (class as u32 + MIN_CLASS_BITS);
        let align = size.min(PAGE);
        let mut start = (heap.next + align - 1) & !(align - 1);
        if heap.end == 0 || start + size > heap.end {
            let pages = size.div_ceil(PAGE) + 1;
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return core::ptr::null_mut();
            }
            let base = old * PAGE;
            if base != heap.end {
                // Someone else grew memory meanwhile: start afresh there.
                heap.next = base;
            }
            heap.end = base + pages * PAGE;
            start = (heap.next + align - 1) & !(align - 1);
        }
        heap.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(&layout) else {
            return;
        };
        // SAFETY: as in `alloc`; `ptr` came from `alloc` with this layout,
        // so it is a block of `class`, at least a word long.
        let heap = unsafe { &mut *self.0.get() };
        unsafe { *(ptr as *mut usize) = heap.free[class] };
        heap.free[class] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Growing within the block's class needs no copy (a String pushed
        // to in small steps stays put until it outgrows its block).
        if let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) {
            if class_of(&new_layout).is_some() && class_of(&new_layout) == class_of(&layout) {
                return ptr;
            }
            // SAFETY: as GlobalAlloc's own default realloc.
            let new_ptr = unsafe { self.alloc(new_layout) };
            if !new_ptr.is_null() {
                unsafe {
                    core::ptr::copy_nonoverlapping(ptr, new_ptr, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
            }
            return new_ptr;
        }
        core::ptr::null_mut()
    }
}
