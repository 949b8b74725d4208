//! Activity shapes, one file per family: following, membership, create/update, deletion, voting (likes), announce, community moderation, flag, block.

pub mod announce;
pub mod block;
pub mod community;
pub mod create_or_update;
pub mod deletion;
pub mod flag;
pub mod following;
pub mod membership;
pub mod voting;

pub use announce::{Announce, AnnounceType, Announced};
pub use block::{Block, BlockType, UndoBlock};
pub use community::{CollectionChange, CollectionChangeType, Lock, LockType, UndoLock};
pub use create_or_update::{
    CreateOrUpdate, CreateOrUpdateNote, CreateOrUpdatePage, CreateOrUpdateQuestion,
    CreateOrUpdateType, CreateVote, UpdateGroup, UpdatePerson,
};
pub use deletion::{Delete, DeleteType, UndoDelete, UndoRemove};
pub use flag::{Flag, FlagType};
pub use following::{Accept, AcceptType, Follow, FollowType, Reject, RejectType, Undo, UndoType};
pub use membership::{AcceptJoin, Join, JoinType, Leave, LeaveType, RejectJoin};
pub use voting::{LikeOrDislike, LikeType, UndoLikeOrDislike};
